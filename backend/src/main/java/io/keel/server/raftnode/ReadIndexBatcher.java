package io.keel.server.raftnode;

import io.keel.raft.RawNode;
import io.keel.raft.ReadState;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Batches linearizable reads into ReadIndex requests, as etcd's linearizableReadLoop: every read
 * that arrives while one request is in flight shares the next one, so one heartbeat round serves
 * many reads. An unanswered request (lost message, leader change) is asked again after
 * {@code retryTicks}.
 *
 * <p>A request's context is this member's id and a sequence number. The leader's ReadIndex queue
 * ignores a context it already holds, so contexts must be unique across the cluster, as etcd's
 * request ids (member id in the high bits) are: with a bare per-member counter, members counting
 * at the same pace asked with the same context, and the later one was dropped and waited for the
 * retry (5 ticks, 500 ms by default).
 *
 * <p>Not thread-safe: confined to the Raft thread.
 */
final class ReadIndexBatcher {
    private static final int CONTEXT_BYTES = 2 * Long.BYTES;

    private final long memberId;
    private final int retryTicks;
    private List<CompletableFuture<Long>> waiting = new ArrayList<>();
    private List<CompletableFuture<Long>> inflight = new ArrayList<>();
    private long inflightId;
    private long nextId = 1;
    private int ticksSinceIssued;
    /** Set from any thread, called on the Raft thread. */
    volatile ReadIndexListener listener = ReadIndexListener.NONE;

    ReadIndexBatcher(long memberId, int retryTicks) {
        this.memberId = memberId;
        this.retryTicks = retryTicks;
    }

    void add(CompletableFuture<Long> read) {
        waiting.add(read);
    }

    /** Issues a request for the waiting reads when none is in flight. */
    void maybeIssue(RawNode node) {
        if (!inflight.isEmpty() || waiting.isEmpty()) {
            return;
        }
        inflight = waiting;
        waiting = new ArrayList<>();
        inflightId = nextId++;
        issue(node);
    }

    /** Counts a tick; re-asks a request that has gone unanswered too long. */
    void onTick(RawNode node) {
        if (inflight.isEmpty()) {
            return;
        }
        if (++ticksSinceIssued >= retryTicks) {
            issue(node);
        }
    }

    void onReadStates(List<ReadState> states) {
        for (ReadState rs : states) {
            if (isInflight(rs.context())) {
                List<CompletableFuture<Long>> done = inflight;
                inflight = new ArrayList<>();
                done.forEach(f -> f.complete(rs.index()));
            } else {
                // etcd counts an ignored out-of-date answer as a slow read index.
                listener.slow();
            }
        }
    }

    void failAll(RuntimeException cause) {
        if (!inflight.isEmpty() || !waiting.isEmpty()) {
            listener.failed();
        }
        inflight.forEach(f -> f.completeExceptionally(cause));
        waiting.forEach(f -> f.completeExceptionally(cause));
        inflight = new ArrayList<>();
        waiting = new ArrayList<>();
    }

    private boolean isInflight(byte[] context) {
        if (inflight.isEmpty() || context.length != CONTEXT_BYTES) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(context);
        return b.getLong() == memberId && b.getLong() == inflightId;
    }

    /** The context of this member's request {@code id}. */
    static byte[] context(long memberId, long id) {
        return ByteBuffer.allocate(CONTEXT_BYTES).putLong(memberId).putLong(id).array();
    }

    private void issue(RawNode node) {
        ticksSinceIssued = 0;
        node.readIndex(context(memberId, inflightId));
    }
}
