package io.keel.raft;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.keel.raft.RaftTests.builder;
import static io.keel.raft.RaftTests.commitNoop;
import static io.keel.raft.RaftTests.drain;
import static io.keel.raft.RaftTests.electLeader;
import static org.assertj.core.api.Assertions.assertThat;

/** Membership changes one at a time, learners, and the pending-change rule. */
class MembershipTest {

    private static ConfChange cc(ConfChangeType type, long id) {
        return new ConfChange(type, id, null);
    }

    private static Message confChangeProposal(ConfChange change) {
        return builder(MessageType.PROP, 1, 1, 0)
                .entries(List.of(new Entry(0, 0, EntryType.CONF_CHANGE, change.encode()))).build();
    }

    @Test
    void aNewMemberJoinsWithEmptyStorageAndReceivesTheWholeLog() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        net.propose(leader, "before");
        net.addEmptyNode(4, c -> c);
        net.node(leader).node.proposeConfChange(cc(ConfChangeType.ADD_NODE, 4));
        net.stabilize();
        net.tickAll(3);
        assertThat(net.node(leader).confState.voters()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(net.node(4).appliedData()).containsExactly("before");
        assertThat(net.node(4).confState).isEqualTo(net.node(leader).confState);
    }

    @Test
    void aLearnerReceivesTheLogButNeitherVotesNorCountsTowardQuorum() {
        Raft r = RaftTests.plainRaft(1, 1, 2);
        r.applyConfChange(cc(ConfChangeType.ADD_LEARNER_NODE, 3));
        electLeader(r);
        // The learner is sent the log...
        assertThat(drain(r)).isEmpty(); // (electLeader already drained the first round)
        Replicator.bcastAppend(r);
        r.tracker.visit((id, pr) -> pr.setProbeSent(false));
        Replicator.bcastAppend(r);
        assertThat(drain(r)).extracting(Message::to).contains(3L);
        // ...but its acknowledgement alone does not commit.
        r.step(builder(MessageType.APP_RESP, 3, 1, r.term).index(1).build());
        assertThat(r.log.committed()).isZero();
        r.step(builder(MessageType.APP_RESP, 2, 1, r.term).index(1).build());
        assertThat(r.log.committed()).isEqualTo(1);
        // A campaign never asks the learner for its vote.
        Raft c = RaftTests.plainRaft(1, 1, 2);
        c.applyConfChange(cc(ConfChangeType.ADD_LEARNER_NODE, 3));
        c.step(c.local(MessageType.HUP));
        assertThat(drain(c)).extracting(Message::to).containsExactly(2L);
    }

    @Test
    void aLearnerIsPromotedToVoterWithAddNode() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        net.addEmptyNode(4, c -> c);
        net.node(leader).node.proposeConfChange(cc(ConfChangeType.ADD_LEARNER_NODE, 4));
        net.stabilize();
        net.tickAll(2);
        assertThat(net.node(leader).confState.learners()).containsExactly(4L);
        assertThat(net.node(leader).status().progress().get(4L).learner()).isTrue();
        net.node(leader).node.proposeConfChange(cc(ConfChangeType.ADD_NODE, 4));
        net.stabilize();
        assertThat(net.node(leader).confState.voters()).contains(4L);
        assertThat(net.node(leader).confState.learners()).isEmpty();
        assertThat(net.node(4).confState.voters()).contains(4L);
        assertThat(net.node(4).raft().isLearner).isFalse();
    }

    @Test
    void aSecondConfChangeWhileOneIsUnappliedBecomesAnEmptyEntry() {
        Raft r = RaftTests.plainRaft(1, 1, 2, 3);
        electLeader(r);
        commitNoop(r);
        r.log.appliedTo(r.log.committed());
        r.step(confChangeProposal(cc(ConfChangeType.ADD_NODE, 4)));
        long first = r.log.lastIndex();
        r.step(confChangeProposal(cc(ConfChangeType.ADD_NODE, 5)));
        Entry second = r.log.slice(first + 1, first + 2, Long.MAX_VALUE).get(0);
        assertThat(second.type()).isEqualTo(EntryType.NORMAL);
        assertThat(second.data()).isEmpty();
        assertThat(r.pendingConfIndex).isEqualTo(first);
        // Once the first is committed and applied, a new change is accepted.
        RaftTests.persist(r);
        r.step(builder(MessageType.APP_RESP, 2, 1, r.term).index(first + 1).build());
        r.log.appliedTo(first + 1);
        r.step(confChangeProposal(cc(ConfChangeType.ADD_NODE, 5)));
        assertThat(r.log.slice(r.log.lastIndex(), r.log.lastIndex() + 1, Long.MAX_VALUE).get(0).type())
                .isEqualTo(EntryType.CONF_CHANGE);
    }

    @Test
    void aNewLeaderAcceptsNoConfChangeUntilItsWholeLogIsApplied() {
        // Entries 1..2 from an earlier term may hide a conf change that is not applied yet.
        Raft r = RaftTests.newRaft(RaftTests.config(1), RaftTests.storageWith(RaftTests.entry(1, 1),
                RaftTests.entry(1, 2)), 1, 2, 3);
        r.term = 1;
        electLeader(r);
        assertThat(r.pendingConfIndex).isEqualTo(2);
        r.step(confChangeProposal(cc(ConfChangeType.ADD_NODE, 4)));
        Entry e = r.log.slice(r.log.lastIndex(), r.log.lastIndex() + 1, Long.MAX_VALUE).get(0);
        assertThat(e.type()).isEqualTo(EntryType.NORMAL);
    }

    @Test
    void removingTheLastVoterIsRefused() {
        Raft r = RaftTests.plainRaft(1, 1);
        r.step(r.local(MessageType.HUP));
        r.log.appliedTo(r.log.committed());
        r.step(confChangeProposal(cc(ConfChangeType.REMOVE_NODE, 1)));
        Entry e = r.log.slice(r.log.lastIndex(), r.log.lastIndex() + 1, Long.MAX_VALUE).get(0);
        assertThat(e.type()).isEqualTo(EntryType.NORMAL);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.applyConfChange(cc(ConfChangeType.REMOVE_NODE, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("removed all voters");
    }

    @Test
    void applyConfChangeReturnsTheNewConfigurationAndUpdateNodeChangesNothing() {
        Raft r = RaftTests.plainRaft(1, 1, 2, 3);
        assertThat(r.applyConfChange(cc(ConfChangeType.ADD_LEARNER_NODE, 4)))
                .isEqualTo(new ConfState(Set.of(1L, 2L, 3L), Set.of(4L)));
        assertThat(r.applyConfChange(cc(ConfChangeType.UPDATE_NODE, 2)))
                .isEqualTo(new ConfState(Set.of(1L, 2L, 3L), Set.of(4L)));
        assertThat(r.applyConfChange(cc(ConfChangeType.ADD_NODE, 4)))
                .isEqualTo(new ConfState(Set.of(1L, 2L, 3L, 4L), Set.of()));
        assertThat(r.applyConfChange(cc(ConfChangeType.REMOVE_NODE, 2)))
                .isEqualTo(new ConfState(Set.of(1L, 3L, 4L), Set.of()));
        assertThat(r.applyConfChange(cc(ConfChangeType.ADD_LEARNER_NODE, 3)))
                .isEqualTo(new ConfState(Set.of(1L, 4L), Set.of(3L)));
    }

    @Test
    void removingAFollowerShrinksTheQuorum() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        long victim = leader % 3 + 1;
        net.node(leader).node.proposeConfChange(cc(ConfChangeType.REMOVE_NODE, victim));
        net.stabilize();
        net.stop(victim);
        long third = 6 - leader - victim;
        net.stop(third);
        // Alone of the remaining two, the leader cannot commit...
        net.propose(leader, "needs-two");
        assertThat(net.node(leader).appliedData()).isEmpty();
        net.start(third);
        net.tickAll(2);
        assertThat(net.node(leader).appliedData()).containsExactly("needs-two");
        assertThat(net.node(leader).status().progress()).doesNotContainKey(victim);
    }

    @Test
    void removingTheLeaderLetsTheRemainingMembersElectANewOne() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        net.node(leader).node.proposeConfChange(cc(ConfChangeType.REMOVE_NODE, leader));
        net.stabilize();
        assertThat(net.node(leader).status().softState().role()).isNotEqualTo(StateRole.LEADER);
        // The removed leader handed over with TIMEOUT_NOW: a successor exists without any tick.
        assertThat(net.delivered).anyMatch(m -> m.type() == MessageType.TIMEOUT_NOW && m.from() == leader);
        List<Long> leaders = net.leaders();
        assertThat(leaders).hasSize(1).doesNotContain(leader);
        long fresh = leaders.get(0);
        net.propose(fresh, "after");
        for (TestNode n : net.nodes.values()) {
            if (n.id != leader) {
                assertThat(n.appliedData()).containsExactly("after");
                assertThat(n.confState.voters()).doesNotContain(leader);
            }
        }
    }

    @Test
    void aCandidateRemovedFromTheConfigurationAbandonsItsCampaign() {
        Raft r = RaftTests.plainRaft(1, 1, 2, 3);
        r.step(r.local(MessageType.HUP));
        assertThat(r.state).isEqualTo(StateRole.CANDIDATE);
        r.applyConfChange(cc(ConfChangeType.REMOVE_NODE, 1));
        assertThat(r.state).isEqualTo(StateRole.FOLLOWER);
        r.step(builder(MessageType.VOTE_RESP, 2, 1, r.term).build());
        r.step(builder(MessageType.VOTE_RESP, 3, 1, r.term).build());
        assertThat(r.state).isEqualTo(StateRole.FOLLOWER);
    }

    @Test
    void aRemovedLeaderDropsProposals() {
        Raft r = RaftTests.plainRaft(1, 1, 2, 3);
        electLeader(r);
        r.applyConfChange(cc(ConfChangeType.REMOVE_NODE, 1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.step(confChangeProposal(
                cc(ConfChangeType.ADD_NODE, 4)))).isInstanceOf(ProposalDroppedException.class);
    }
}
