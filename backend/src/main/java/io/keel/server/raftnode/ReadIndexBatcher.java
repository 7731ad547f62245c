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
 * <p>Not thread-safe: confined to the Raft thread.
 */
final class ReadIndexBatcher {
    private final int retryTicks;
    private List<CompletableFuture<Long>> waiting = new ArrayList<>();
    private List<CompletableFuture<Long>> inflight = new ArrayList<>();
    private long inflightId;
    private long nextId = 1;
    private int ticksSinceIssued;
    /** Set from any thread, called on the Raft thread. */
    volatile ReadIndexListener listener = ReadIndexListener.NONE;

    ReadIndexBatcher(int retryTicks) {
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
            if (rs.context().length == Long.BYTES && ByteBuffer.wrap(rs.context()).getLong() == inflightId
                    && !inflight.isEmpty()) {
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

    private void issue(RawNode node) {
        ticksSinceIssued = 0;
        node.readIndex(ByteBuffer.allocate(Long.BYTES).putLong(inflightId).array());
    }
}
