package io.keel.raft.readonly;

import io.keel.raft.Message;
import io.keel.raft.ReadOnlyOption;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The leader's queue of ReadIndex requests (etcd's readOnly). In SAFE mode each request waits
 * until a quorum has answered a heartbeat carrying its context; answering one request also answers
 * every request queued before it, since their read points are no newer.
 *
 * <p>Invariant: the queue and the map hold the same contexts, queue in arrival order. Owned by the
 * leader's Raft instance; not thread-safe.
 */
public final class ReadOnly {
    private final ReadOnlyOption option;
    private final Map<String, ReadIndexStatus> pending = new HashMap<>();
    private final List<String> queue = new ArrayList<>();

    public ReadOnly(ReadOnlyOption option) {
        this.option = option;
    }

    public ReadOnlyOption option() {
        return option;
    }

    private static String key(byte[] context) {
        return HexFormat.of().formatHex(context);
    }

    /** Queues {@code request} with read point {@code index}; a repeated context is ignored. */
    public void addRequest(long index, Message request) {
        String k = key(request.context());
        if (pending.containsKey(k)) {
            return;
        }
        pending.put(k, new ReadIndexStatus(request, index));
        queue.add(k);
        assert pending.size() == queue.size();
    }

    /**
     * Records that {@code from} acknowledged the heartbeat carrying {@code context}; returns the
     * acknowledgements so far, or null when the context is unknown (already answered).
     */
    public Map<Long, Boolean> recvAck(long from, byte[] context) {
        ReadIndexStatus rs = pending.get(key(context));
        if (rs == null) {
            return null;
        }
        rs.acks().put(from, true);
        return rs.acks();
    }

    /** Removes and returns the request with {@code context} and every request queued before it. */
    public List<ReadIndexStatus> advance(byte[] context) {
        String k = key(context);
        int at = queue.indexOf(k);
        if (at < 0) {
            return List.of();
        }
        List<ReadIndexStatus> done = new ArrayList<>(at + 1);
        for (String q : queue.subList(0, at + 1)) {
            done.add(pending.remove(q));
        }
        queue.subList(0, at + 1).clear();
        assert pending.size() == queue.size();
        return done;
    }

    /** Context of the newest pending request, to piggyback on heartbeats; null when none. */
    public byte[] lastPendingRequestContext() {
        if (queue.isEmpty()) {
            return null;
        }
        return pending.get(queue.get(queue.size() - 1)).request().context();
    }

    public int pendingCount() {
        return queue.size();
    }
}
