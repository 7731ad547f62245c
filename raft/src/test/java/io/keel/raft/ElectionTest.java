package io.keel.raft;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Leader election across a whole cluster, and the start-up election tick advance. */
class ElectionTest {

    @Test
    void aThreeMemberClusterElectsExactlyOneLeaderThatEveryoneFollows() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        for (TestNode n : net.nodes.values()) {
            assertThat(n.status().softState().leaderId()).isEqualTo(leader);
            assertThat(n.status().hardState().term()).isEqualTo(net.node(leader).status().hardState().term());
        }
        assertThat(net.leaders()).containsExactly(leader);
    }

    @Test
    void aSingleMemberElectsItselfAndCommitsAtOnce() {
        TestNetwork net = TestNetwork.of(1);
        net.campaign(1);
        assertThat(net.leaders()).containsExactly(1L);
        net.propose(1, "a");
        assertThat(net.node(1).appliedData()).containsExactly("a");
    }

    @Test
    void electionTimeoutFiresWithinTwoElectionTimeoutsAndNotBeforeOne() {
        TestNetwork net = TestNetwork.of(3);
        for (int i = 0; i < RaftTests.ELECTION - 1; i++) {
            net.tickAll();
            assertThat(net.delivered).isEmpty();
        }
        net.tickAll(RaftTests.ELECTION + 1);
        assertThat(net.leaders()).hasSize(1);
    }

    @Test
    void advanceElectionTicksShortensTheFirstElectionWithoutCampaigningItself() {
        TestNetwork net = TestNetwork.of(3);
        net.node(1).node.advanceElectionTicks(RaftTests.ELECTION - 1);
        assertThat(net.node(1).status().softState().role()).isEqualTo(StateRole.FOLLOWER);
        int ticks = 0;
        while (net.leaders().isEmpty()) {
            net.node(1).node.tick();
            net.stabilize();
            ticks++;
        }
        // The randomized timeout is below 2 * ELECTION, so at most ELECTION more ticks are needed.
        assertThat(ticks).isLessThanOrEqualTo(RaftTests.ELECTION);
        assertThat(net.leaders()).containsExactly(1L);
    }

    @Test
    void aLearnerOrRemovedMemberNeverCampaigns() {
        Raft learner = RaftTests.plainRaft(1, 2, 3);
        learner.applyConfChange(new ConfChange(ConfChangeType.ADD_LEARNER_NODE, 1, null));
        Raft removed = RaftTests.plainRaft(1, 2, 3);
        for (int i = 0; i < 5 * RaftTests.ELECTION; i++) {
            learner.tick();
            removed.tick();
        }
        assertThat(learner.state).isEqualTo(StateRole.FOLLOWER);
        assertThat(removed.state).isEqualTo(StateRole.FOLLOWER);
        assertThat(learner.term).isZero();
        assertThat(RaftTests.drain(learner)).isEmpty();
    }

    @Test
    void aMemberWithUnappliedCommittedConfChangesDoesNotCampaign() {
        Raft r = RaftTests.plainRaft(1, 1, 2, 3);
        ConfChange cc = new ConfChange(ConfChangeType.ADD_NODE, 4, null);
        r.becomeFollower(1, 2);
        r.step(RaftTests.builder(MessageType.APP, 2, 1, 1).index(0).logTerm(0).commit(1)
                .entries(java.util.List.of(new Entry(1, 1, EntryType.CONF_CHANGE, cc.encode()))).build());
        RaftTests.drain(r);
        r.step(r.local(MessageType.HUP));
        assertThat(r.state).isEqualTo(StateRole.FOLLOWER);
        r.log.appliedTo(1);
        r.step(r.local(MessageType.HUP));
        assertThat(r.state).isEqualTo(StateRole.CANDIDATE);
    }
}
