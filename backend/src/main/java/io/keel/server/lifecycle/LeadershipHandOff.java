package io.keel.server.lifecycle;

import io.keel.raft.RaftStatus;
import io.keel.raft.StateRole;
import io.keel.server.raftnode.NodeState;
import io.keel.server.raftnode.RaftNode;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a stopping leader does first, as etcd's server does on a graceful stop: hand leadership
 * to the voter whose log is most caught up, and wait (bounded) until that member leads, so the
 * cluster gets its new leader at once rather than after an election timeout. Used once, from the
 * thread that stops the member; blocks that thread only.
 */
public final class LeadershipHandOff {
    private LeadershipHandOff() {
    }

    /**
     * The outcome, for the stop log line. {@code alone}: this member led and no other voter
     * exists (a single-member cluster), so there was nothing to hand over.
     */
    public record Outcome(boolean wasLeader, long transferee, boolean handedOff, boolean alone) {
    }

    /** Transfers leadership if this member leads and another voter exists; waits up to {@code timeoutMillis}. */
    public static Outcome run(RaftNode node, long timeoutMillis) throws InterruptedException {
        NodeState state = node.state();
        if (state.role() != StateRole.LEADER) {
            return new Outcome(false, 0, false, false);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        RaftStatus status;
        try {
            status = node.status().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return new Outcome(true, 0, false, false);
        }
        long target = mostCaughtUpVoter(status);
        if (target == 0) {
            return new Outcome(true, 0, false, true);
        }
        node.transferLeader(target);
        try {
            long left = Math.max(1, deadline - System.nanoTime());
            node.awaitLeader(target).get(left, TimeUnit.NANOSECONDS);
            return new Outcome(true, target, true, false);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return new Outcome(true, target, false, false);
        }
    }

    /** The voter other than this member with the highest match index, or 0 when there is none. */
    static long mostCaughtUpVoter(RaftStatus status) {
        long best = 0;
        long bestMatch = -1;
        for (Map.Entry<Long, RaftStatus.ProgressView> e : status.progress().entrySet()) {
            RaftStatus.ProgressView p = e.getValue();
            if (e.getKey() == status.id() || p.learner()) {
                continue;
            }
            if (p.match() > bestMatch) {
                best = e.getKey();
                bestMatch = p.match();
            }
        }
        return best;
    }
}
