package io.keel.server.raftnode;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.raft.StateRole;
import org.junit.jupiter.api.Test;

/** Leadership moves are logged in etcd's words, one line per change and none without one. */
class RaftStateLogTest {
    private static final long ME = 0x1804405be124ad7dL;
    private static final long OTHER = 0x6145a9e0d2d92461L;
    private static final long THIRD = 0xa1L;

    private static NodeState state(StateRole role, long term, long leader) {
        return new NodeState(ME, leader, role, term, 0, 0);
    }

    @Test
    void anElectionThisMemberWinsIsLoggedStepByStep() {
        NodeState start = state(StateRole.FOLLOWER, 5, 0);
        NodeState pre = state(StateRole.PRE_CANDIDATE, 5, 0);
        NodeState candidate = state(StateRole.CANDIDATE, 6, 0);
        NodeState leader = state(StateRole.LEADER, 6, ME);

        assertThat(RaftStateLog.changes(null, start)).containsExactly("1804405be124ad7d became follower at term 5");
        assertThat(RaftStateLog.changes(start, pre)).containsExactly("1804405be124ad7d became pre-candidate at term 5");
        assertThat(RaftStateLog.changes(pre, candidate)).containsExactly("1804405be124ad7d became candidate at term 6");
        assertThat(RaftStateLog.changes(candidate, leader)).containsExactly(
                "1804405be124ad7d became leader at term 6",
                "raft.node: 1804405be124ad7d elected leader 1804405be124ad7d at term 6");
    }

    @Test
    void aDeposedLeaderLogsTheLossThenTheNewLeader() {
        NodeState leading = state(StateRole.LEADER, 6, ME);
        NodeState deposed = state(StateRole.FOLLOWER, 7, 0);
        NodeState following = state(StateRole.FOLLOWER, 7, OTHER);

        assertThat(RaftStateLog.changes(leading, deposed)).containsExactly(
                "1804405be124ad7d became follower at term 7",
                "raft.node: 1804405be124ad7d lost leader 1804405be124ad7d at term 7");
        assertThat(RaftStateLog.changes(deposed, following)).containsExactly(
                "raft.node: 1804405be124ad7d elected leader 6145a9e0d2d92461 at term 7");
    }

    @Test
    void aFollowerSeesTheLeaderChangeWithoutAGap() {
        NodeState before = state(StateRole.FOLLOWER, 7, OTHER);
        NodeState after = state(StateRole.FOLLOWER, 8, THIRD);

        assertThat(RaftStateLog.changes(before, after)).containsExactly(
                "1804405be124ad7d became follower at term 8",
                "raft.node: 1804405be124ad7d changed leader from 6145a9e0d2d92461 to a1 at term 8");
    }

    @Test
    void aCommitOrLogAdvanceAloneLogsNothing() {
        NodeState before = new NodeState(ME, OTHER, StateRole.FOLLOWER, 7, 10, 12);
        NodeState after = new NodeState(ME, OTHER, StateRole.FOLLOWER, 7, 11, 13);

        assertThat(RaftStateLog.changes(before, after)).isEmpty();
    }
}
