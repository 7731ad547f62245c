package io.keel.raft;

/** Kinds of single-member configuration change, as etcd's raftpb.ConfChangeType. Thread-safe. */
public enum ConfChangeType {
    /** Add a voter, or promote an existing learner to voter. */
    ADD_NODE,
    REMOVE_NODE,
    /** Carries member metadata only; Raft's configuration is unchanged. */
    UPDATE_NODE,
    ADD_LEARNER_NODE
}
