package io.keel.server.watch;

import io.keel.api.etcdserverpb.ResponseHeader;
import io.keel.api.etcdserverpb.WatchResponse;
import io.keel.server.kv.KvProtoMapping;
import io.keel.storage.mvcc.CompactedException;
import io.keel.storage.mvcc.Event;
import io.keel.storage.mvcc.KeyValue;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.RangeRequest;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Builds etcd's watch responses: events with their previous key-values (read at the event's
 * revision minus one, as etcd does, and shared by every watcher of one batch), control responses,
 * and fragments. Confined to the dispatcher thread (the prev-kv cache is per batch).
 */
final class WatchResponses {
    /** etcd's watch id of a progress response on behalf of a whole stream. */
    static final long STREAM_WATCH_ID = -1;

    private final MvccStore store;
    private final LongFunction<ResponseHeader> headers;
    private final int maxResponseBytes;
    private final Map<Event, io.keel.api.mvccpb.Event> withPrev = new IdentityHashMap<>();
    private final Map<Event, io.keel.api.mvccpb.Event> plain = new IdentityHashMap<>();

    WatchResponses(MvccStore store, LongFunction<ResponseHeader> headers, int maxResponseBytes) {
        this.store = store;
        this.headers = headers;
        this.maxResponseBytes = maxResponseBytes;
    }

    /** The header of the last event batch, shared by all its watchers (and encoded once per stream). */
    private ResponseHeader batchHeader;
    private long batchHeaderRevision;

    /** Forgets the converted events of the last batch. */
    void endBatch() {
        withPrev.clear();
        plain.clear();
        batchHeader = null;
    }

    private ResponseHeader eventHeader(long revision) {
        if (batchHeader == null || batchHeaderRevision != revision) {
            batchHeader = header(revision);
            batchHeaderRevision = revision;
        }
        return batchHeader;
    }

    ResponseHeader header(long revision) {
        return headers.apply(revision);
    }

    /** The events of {@code w} as one response, or as fragments when it asked for them and it is large. */
    List<WatchResponse> events(Watcher w, List<Event> events, long headerRevision) {
        WatchResponse.Builder b = WatchResponse.newBuilder().setHeader(eventHeader(headerRevision)).setWatchId(w.id);
        for (Event e : events) {
            b.addEvents(w.prevKv ? withPrev.computeIfAbsent(e, ev -> convert(ev, true))
                    : plain.computeIfAbsent(e, ev -> convert(ev, false)));
        }
        WatchResponse whole = b.build();
        if (!w.fragment || whole.getEventsCount() < 2 || whole.getSerializedSize() < maxResponseBytes) {
            return List.of(whole);
        }
        return fragments(whole);
    }

    /**
     * One revision's single event for a fan-out: the header and the event (plain and/or with
     * prev_kv, as some watcher wants it) built and encoded once, shared by every stream's
     * {@link WatchFanOut} of the revision.
     */
    WatchFanOut.Shared shared(Event e, long headerRevision, boolean plainWanted, boolean prevWanted) {
        ResponseHeader h = eventHeader(headerRevision);
        io.keel.api.mvccpb.Event p = plainWanted ? plain.computeIfAbsent(e, ev -> convert(ev, false)) : null;
        io.keel.api.mvccpb.Event wp = prevWanted ? withPrev.computeIfAbsent(e, ev -> convert(ev, true)) : null;
        return WatchFanOut.share(h, p, wp);
    }

    private List<WatchResponse> fragments(WatchResponse whole) {
        List<WatchResponse> out = new ArrayList<>();
        WatchResponse.Builder cur = whole.toBuilder().clearEvents().setFragment(true);
        int size = cur.build().getSerializedSize();
        for (io.keel.api.mvccpb.Event ev : whole.getEventsList()) {
            int evSize = ev.getSerializedSize() + 8;
            if (cur.getEventsCount() > 0 && size + evSize >= maxResponseBytes) {
                out.add(cur.build());
                cur = whole.toBuilder().clearEvents().setFragment(true);
                size = cur.build().getSerializedSize();
            }
            cur.addEvents(ev);
            size += evSize;
        }
        out.add(cur.setFragment(false).build());
        return out;
    }

    WatchResponse created(long watchId, long revision) {
        return WatchResponse.newBuilder().setHeader(header(revision)).setWatchId(watchId).setCreated(true).build();
    }

    WatchResponse createFailed(String reason, long revision) {
        return WatchResponse.newBuilder().setHeader(header(revision)).setWatchId(STREAM_WATCH_ID).setCreated(true)
                .setCanceled(true).setCancelReason(reason).build();
    }

    WatchResponse canceled(long watchId, long revision) {
        return WatchResponse.newBuilder().setHeader(header(revision)).setWatchId(watchId).setCanceled(true).build();
    }

    /** etcd leaves the header revision 0 on this response: it carries the compaction point instead. */
    WatchResponse compacted(long watchId, long compactRevision) {
        return WatchResponse.newBuilder().setHeader(header(0)).setWatchId(watchId).setCanceled(true)
                .setCompactRevision(compactRevision).build();
    }

    WatchResponse progress(long watchId, long revision) {
        return WatchResponse.newBuilder().setHeader(header(revision)).setWatchId(watchId).build();
    }

    private io.keel.api.mvccpb.Event convert(Event e, boolean withPrevKv) {
        io.keel.api.mvccpb.Event.Builder b = io.keel.api.mvccpb.Event.newBuilder()
                .setType(e.type() == Event.Type.PUT ? io.keel.api.mvccpb.Event.EventType.PUT
                        : io.keel.api.mvccpb.Event.EventType.DELETE)
                .setKv(KvProtoMapping.keyValue(e.kv()));
        boolean create = e.type() == Event.Type.PUT && e.kv().createRevision() == e.kv().modRevision();
        if (withPrevKv && !create) {
            KeyValue prev = previous(e);
            if (prev != null) {
                b.setPrevKv(KvProtoMapping.keyValue(prev));
            }
        }
        return b.build();
    }

    /** The key's value just before the event; none when that revision is compacted away, as etcd. */
    private KeyValue previous(Event e) {
        try {
            List<KeyValue> kvs = store.range(RangeRequest.builder(e.kv().key())
                    .revision(e.kv().modRevision() - 1).build()).kvs();
            return kvs.isEmpty() ? null : kvs.get(0);
        } catch (CompactedException ex) {
            return null;
        }
    }
}
