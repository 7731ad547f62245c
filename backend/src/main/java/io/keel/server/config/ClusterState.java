package io.keel.server.config;

/** The {@code --initial-cluster-state} choice. Immutable; thread-safe. */
public enum ClusterState {
    /** Bootstrap a new cluster from {@code --initial-cluster}. */
    NEW,
    /** Join a cluster that already runs (the member was added with MemberAdd first). */
    EXISTING
}
