package io.keel.server.watch;

import io.keel.api.etcdserverpb.WatchResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a watch stream's responses go: the gRPC layer's bounded per-stream buffer. Called only
 * by the hub's dispatcher thread; implementations must never block it.
 */
public interface WatchSink {
    /** True if at least one more batch of events would be accepted now. */
    boolean hasRoom();

    /**
     * Takes all of {@code responses} (one revision batch, possibly fragmented) or none of them;
     * false when the stream's buffer is full, and the watcher then catches up from the store.
     */
    boolean offer(List<WatchResponse> responses);

    /**
     * Offers several watchers' batches at once (one revision's, for watchers of this stream, in
     * order) and takes the first of them it has room for, as many {@link #offer} calls in a row
     * would; returns how many it took (the watchers of the others catch up from the store). A
     * stream that overrides it queues them as one item, so a put seen by 100 watchers of a stream
     * costs one hand-off to its event loop, not 100.
     */
    default int offerAll(List<List<WatchResponse>> batches) {
        int taken = 0;
        while (taken < batches.size() && offer(batches.get(taken))) {
            taken++;
        }
        return taken;
    }

    /**
     * Offers one revision's single event to several watchers of this stream ({@code f}, in order)
     * and takes the first of them it has room for, as {@link #offerAll} with one response per
     * watcher would; returns how many it took (the others catch up from the store). This default
     * builds those responses; a gRPC stream overrides it to queue {@code f} itself and frame the
     * watchers' messages from its shared bytes.
     */
    default int offerFanOut(WatchFanOut f) {
        List<List<WatchResponse>> batches = new ArrayList<>(f.size());
        for (int i = 0; i < f.size(); i++) {
            batches.add(List.of(f.response(i)));
        }
        return offerAll(batches);
    }

    /**
     * Takes a control response (created, canceled, compacted, progress), never refused: control
     * responses answer the client's own requests, whose reading the stream pauses while its buffer
     * is full, so they stay bounded.
     */
    void offerControl(WatchResponse response);

    /**
     * True if this sink reports through its {@link WatchStreamHandle} when the events it took are
     * written to the client (a gRPC stream's buffer); false if taking them is delivering them (an
     * in-process consumer), so the hub counts them as sent at once (etcd's events and pending
     * events metrics).
     */
    default boolean reportsWrites() {
        return false;
    }
}
