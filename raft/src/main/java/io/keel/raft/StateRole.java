package io.keel.raft;

/** A member's role, as etcd's StateType. Thread-safe. */
public enum StateRole {
    FOLLOWER, CANDIDATE, LEADER, PRE_CANDIDATE
}
