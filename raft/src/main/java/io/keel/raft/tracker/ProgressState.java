package io.keel.raft.tracker;

/** How the leader currently replicates to one follower (etcd's tracker.StateType). Thread-safe. */
public enum ProgressState {
    /** At most one APP in flight per heartbeat interval, until the follower's match is found. */
    PROBE,
    /** Optimistic streaming of APPs, bounded by the inflight window. */
    REPLICATE,
    /** A snapshot is on its way; no APPs until it is reported or acknowledged. */
    SNAPSHOT
}
