package io.keel.raft;

/** How ReadIndex confirms leadership, as etcd's ReadOnlyOption. Thread-safe. */
public enum ReadOnlyOption {
    /** Confirm with a heartbeat round to a quorum (linearizable under any clock). */
    SAFE,
    /** Trust the leader lease (needs check-quorum; depends on bounded clock drift). */
    LEASE_BASED
}
