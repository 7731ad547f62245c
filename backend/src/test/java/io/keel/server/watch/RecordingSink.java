package io.keel.server.watch;

import io.keel.api.etcdserverpb.WatchResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A test sink: records what it accepts; holds at most {@code capacity} batches until {@link #release}. */
final class RecordingSink implements WatchSink {
    private final List<WatchResponse> received = new CopyOnWriteArrayList<>();
    private volatile int capacity;
    private volatile int held;
    volatile int refused;
    /** Whether it takes a revision's batches for several watchers in one call, as a gRPC stream does. */
    volatile boolean bulk;
    /** Calls of {@link #offerAll} that took more than one watcher's batch. */
    volatile int bulkOffers;
    /** Whether it takes a revision's fan-out as one, as a gRPC stream does (else WatchSink's default). */
    volatile boolean fanOuts;
    /** Calls of {@link #offerFanOut} while {@link #fanOuts}, and the most watchers one of them carried. */
    volatile int fanOutOffers;
    volatile int largestFanOut;
    /** Whether it claims to report writes, as a gRPC stream's buffer does. */
    volatile boolean reportsWrites;

    RecordingSink(int capacity) {
        this.capacity = capacity;
    }

    static RecordingSink unbounded() {
        return new RecordingSink(Integer.MAX_VALUE);
    }

    @Override
    public boolean hasRoom() {
        return held < capacity;
    }

    @Override
    public synchronized boolean offer(List<WatchResponse> responses) {
        if (held >= capacity) {
            refused++;
            return false;
        }
        held++;
        received.addAll(responses);
        return true;
    }

    @Override
    public synchronized int offerAll(List<List<WatchResponse>> batches) {
        if (!bulk) {
            return WatchSink.super.offerAll(batches);
        }
        int taken = Math.min(Math.max(0, capacity - held), batches.size());
        if (taken < batches.size()) {
            refused++;
        }
        if (taken > 1) {
            bulkOffers++;
        }
        held += taken;
        for (int i = 0; i < taken; i++) {
            received.addAll(batches.get(i));
        }
        return taken;
    }

    @Override
    public synchronized int offerFanOut(WatchFanOut f) {
        if (!fanOuts) {
            return WatchSink.super.offerFanOut(f);
        }
        fanOutOffers++;
        largestFanOut = Math.max(largestFanOut, f.size());
        int taken = (int) Math.min(Math.max(0L, (long) capacity - held), f.size());
        if (taken < f.size()) {
            refused++;
        }
        held += taken;
        for (int i = 0; i < taken; i++) {
            received.add(f.response(i));
        }
        return taken;
    }

    @Override
    public boolean reportsWrites() {
        return reportsWrites;
    }

    @Override
    public void offerControl(WatchResponse response) {
        received.add(response);
    }

    /** The reader caught up: the buffer is empty and unbounded again. */
    synchronized void release() {
        held = 0;
        capacity = Integer.MAX_VALUE;
    }

    List<WatchResponse> all() {
        return new ArrayList<>(received);
    }

    List<WatchResponse> matching(Predicate<WatchResponse> p) {
        return all().stream().filter(p).toList();
    }

    /** Events of {@code watchId} in the order received. */
    List<io.keel.api.mvccpb.Event> events(long watchId) {
        List<io.keel.api.mvccpb.Event> out = new ArrayList<>();
        for (WatchResponse r : received) {
            if (r.getWatchId() == watchId) {
                out.addAll(r.getEventsList());
            }
        }
        return out;
    }
}
