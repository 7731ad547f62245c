package io.keel.server.raftnode;

import io.keel.raft.RaftConfig;

/**
 * Settings of a {@link RaftNode}. Immutable; thread-safe.
 *
 * @param raft                    the Raft core's settings (ticks are counted in {@code tickMillis})
 * @param tickMillis              wall-clock length of one tick (etcd: --heartbeat-interval)
 * @param snapshotCount           applied entries between local snapshots (etcd: --snapshot-count)
 * @param snapshotCatchUpEntries  entries kept in the log behind a snapshot so slow followers can
 *                                catch up without one (etcd keeps 5000)
 * @param maxPendingInputs        bound of the queue into the Raft thread; over it callers get
 *                                {@link NodeBusyException}
 * @param maxApplyLagEntries      committed-minus-applied bound; over it proposals are refused
 *                                ("etcdserver: too many requests", etcd uses 5000)
 * @param readIndexRetryTicks     ticks after which an unanswered ReadIndex is asked again
 * @param initialElectionTickAdvance start with the election clock almost expired, so a member
 *                                campaigns within a tick or so of starting (etcd's
 *                                --initial-election-tick-advance, on by default); pre-vote keeps
 *                                it from disturbing a healthy leader
 */
public record RaftNodeConfig(RaftConfig raft, long tickMillis, long snapshotCount, long snapshotCatchUpEntries,
                             int maxPendingInputs, long maxApplyLagEntries, int readIndexRetryTicks,
                             boolean initialElectionTickAdvance) {

    public static RaftNodeConfig defaults(RaftConfig raft) {
        return new RaftNodeConfig(raft, 100, 100_000, 5_000, 10_000, 5_000, 5, true);
    }

    public RaftNodeConfig withInitialElectionTickAdvance(boolean on) {
        return new RaftNodeConfig(raft, tickMillis, snapshotCount, snapshotCatchUpEntries, maxPendingInputs,
                maxApplyLagEntries, readIndexRetryTicks, on);
    }

    public RaftNodeConfig withTickMillis(long millis) {
        return new RaftNodeConfig(raft, millis, snapshotCount, snapshotCatchUpEntries, maxPendingInputs,
                maxApplyLagEntries, readIndexRetryTicks, initialElectionTickAdvance);
    }

    public RaftNodeConfig withSnapshotCount(long count, long catchUpEntries) {
        return new RaftNodeConfig(raft, tickMillis, count, catchUpEntries, maxPendingInputs, maxApplyLagEntries,
                readIndexRetryTicks, initialElectionTickAdvance);
    }

    public RaftNodeConfig validate() {
        raft.validate();
        require(tickMillis > 0, "tickMillis must be > 0");
        require(snapshotCount > 0, "snapshotCount must be > 0");
        require(snapshotCatchUpEntries >= 0, "snapshotCatchUpEntries must be >= 0");
        require(maxPendingInputs > 0, "maxPendingInputs must be > 0");
        require(maxApplyLagEntries > 0, "maxApplyLagEntries must be > 0");
        require(readIndexRetryTicks > 0, "readIndexRetryTicks must be > 0");
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid raft node config: " + message);
        }
    }
}
