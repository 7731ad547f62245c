package io.keel.server.raftnode;

import io.keel.raft.StateRole;

/**
 * What the node publishes after every Raft loop iteration, for request routing, status and
 * metrics. Immutable; thread-safe.
 *
 * @param id         this member
 * @param leaderId   known leader, 0 for none
 * @param role       this member's role
 * @param term       current term
 * @param commit     commit index
 * @param lastIndex  last log index
 */
public record NodeState(long id, long leaderId, StateRole role, long term, long commit, long lastIndex) {
    public boolean isLeader() {
        return role == StateRole.LEADER;
    }
}
