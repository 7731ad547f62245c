package io.keel.raft;

/** Outcome of sending a snapshot to a follower, reported with {@link RawNode#reportSnapshot}. */
public enum SnapshotStatus {
    FINISH, FAILURE
}
