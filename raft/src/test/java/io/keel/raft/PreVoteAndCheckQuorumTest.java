package io.keel.raft;

import org.junit.jupiter.api.Test;

import static io.keel.raft.RaftTests.builder;
import static io.keel.raft.RaftTests.drain;
import static org.assertj.core.api.Assertions.assertThat;

/** Pre-vote, check-quorum and the leader lease that protects a healthy leader. */
class PreVoteAndCheckQuorumTest {

    private static long termOf(TestNetwork net, long id) {
        return net.node(id).status().hardState().term();
    }

    @Test
    void withPreVoteAPartitionedMemberRejoiningDoesNotDisruptTheLeader() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        long term = termOf(net, leader);
        long outsider = leader % 3 + 1;
        net.isolate(outsider);
        net.tickAll(10 * RaftTests.ELECTION);
        assertThat(termOf(net, outsider)).isEqualTo(term); // pre-votes never move the term
        net.heal();
        net.tickAll(3 * RaftTests.ELECTION);
        assertThat(net.leaders()).containsExactly(leader);
        assertThat(termOf(net, leader)).isEqualTo(term);
    }

    @Test
    void withoutPreVoteOrCheckQuorumARejoiningMemberDeposesTheLeader() {
        TestNetwork net = TestNetwork.of(3, c -> c.withPreVote(false).withCheckQuorum(false));
        long leader = net.awaitLeader();
        long term = termOf(net, leader);
        long outsider = leader % 3 + 1;
        net.isolate(outsider);
        net.tickAll(10 * RaftTests.ELECTION);
        assertThat(termOf(net, outsider)).isGreaterThan(term);
        net.heal();
        net.tickAll(2 * RaftTests.ELECTION); // until the outsider campaigns again
        assertThat(termOf(net, leader)).isGreaterThan(term); // the old term's leadership ended
    }

    @Test
    void withCheckQuorumALeaderThatLosesItsQuorumStepsDown() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        net.isolate(leader);
        for (int i = 0; i < 2 * RaftTests.ELECTION + 1; i++) {
            net.node(leader).node.tick();
            net.stabilize();
        }
        assertThat(net.node(leader).status().softState().role()).isEqualTo(StateRole.FOLLOWER);
    }

    @Test
    void withoutCheckQuorumAnIsolatedLeaderKeepsLeading() {
        TestNetwork net = TestNetwork.of(3, c -> c.withCheckQuorum(false));
        long leader = net.awaitLeader();
        net.isolate(leader);
        for (int i = 0; i < 5 * RaftTests.ELECTION; i++) {
            net.node(leader).node.tick();
            net.stabilize();
        }
        assertThat(net.node(leader).status().softState().role()).isEqualTo(StateRole.LEADER);
    }

    @Test
    void checkQuorumCountsVotersOnlyNotLearners() {
        Raft r = RaftTests.newRaft(RaftTests.config(1), new MemoryStorage(), 1, 2, 3);
        r.applyConfChange(new ConfChange(ConfChangeType.ADD_LEARNER_NODE, 4, null));
        r.applyConfChange(new ConfChange(ConfChangeType.ADD_LEARNER_NODE, 5, null));
        RaftTests.electLeader(r);
        // Only the learners answer: not a quorum of voters, so the leader steps down.
        for (int i = 0; i < RaftTests.ELECTION; i++) {
            r.step(builder(MessageType.HEARTBEAT_RESP, 4, 1, r.term).build());
            r.step(builder(MessageType.HEARTBEAT_RESP, 5, 1, r.term).build());
            r.tick();
        }
        assertThat(r.state).isEqualTo(StateRole.FOLLOWER);
        // With one voter answering, the leader stays.
        Raft s = RaftTests.newRaft(RaftTests.config(1), new MemoryStorage(), 1, 2, 3);
        RaftTests.electLeader(s);
        for (int i = 0; i < 3 * RaftTests.ELECTION; i++) {
            s.step(builder(MessageType.HEARTBEAT_RESP, 2, 1, s.term).build());
            s.tick();
        }
        assertThat(s.state).isEqualTo(StateRole.LEADER);
    }

    private static Raft followerOfLeader2(boolean checkQuorum) {
        Raft r = RaftTests.newRaft(RaftTests.config(1).withCheckQuorum(checkQuorum), new MemoryStorage(), 1, 2, 3);
        r.becomeFollower(1, 2);
        return r;
    }

    @Test
    void withinTheLeaseAMemberIgnoresVoteAndPreVoteRequestsFromHigherTerms() {
        for (MessageType type : new MessageType[] {MessageType.VOTE, MessageType.PRE_VOTE}) {
            Raft r = followerOfLeader2(true);
            r.step(builder(type, 3, 1, 5).index(10).logTerm(4).build());
            assertThat(drain(r)).as(type.name()).isEmpty();
            assertThat(r.term).isEqualTo(1);
            assertThat(r.lead).isEqualTo(2);
        }
    }

    @Test
    void theLeaseDoesNotBlockATransferCampaign() {
        Raft r = followerOfLeader2(true);
        r.step(builder(MessageType.VOTE, 3, 1, 5).index(10).logTerm(4)
                .context(CampaignType.transferContext()).build());
        assertThat(r.term).isEqualTo(5);
        assertThat(drain(r)).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MessageType.VOTE_RESP);
            assertThat(m.reject()).isFalse();
        });
    }

    @Test
    void withoutCheckQuorumThereIsNoLease() {
        Raft r = followerOfLeader2(false);
        r.step(builder(MessageType.VOTE, 3, 1, 5).index(10).logTerm(4).build());
        assertThat(r.term).isEqualTo(5);
        assertThat(r.vote).isEqualTo(3);
    }

    @Test
    void theLeaseExpiresAfterAnElectionTimeoutWithoutTheLeader() {
        Raft r = followerOfLeader2(true);
        r.electionElapsed = RaftTests.ELECTION;
        r.step(builder(MessageType.PRE_VOTE, 3, 1, 5).index(10).logTerm(4).build());
        assertThat(r.term).isEqualTo(1); // a pre-vote never moves the term
        assertThat(drain(r)).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MessageType.PRE_VOTE_RESP);
            assertThat(m.reject()).isFalse();
            assertThat(m.term()).isEqualTo(5);
        });
    }

    @Test
    void aPreCandidateThatWinsItsPreVoteThenRunsARealElection() {
        Raft r = RaftTests.newRaft(RaftTests.config(1), new MemoryStorage(), 1, 2, 3);
        r.step(r.local(MessageType.HUP));
        assertThat(r.state).isEqualTo(StateRole.PRE_CANDIDATE);
        assertThat(r.term).isZero();
        assertThat(drain(r)).extracting(Message::type).containsOnly(MessageType.PRE_VOTE);
        r.step(builder(MessageType.PRE_VOTE_RESP, 2, 1, 1).build());
        assertThat(r.state).isEqualTo(StateRole.CANDIDATE);
        assertThat(r.term).isEqualTo(1);
        assertThat(drain(r)).extracting(Message::type).containsOnly(MessageType.VOTE);
    }

    @Test
    void aStaleLeaderLearnsTheNewTermFromTheResponseToItsHeartbeat() {
        Raft r = followerOfLeader2(true);
        r.becomeFollower(3, 3);
        r.step(builder(MessageType.HEARTBEAT, 2, 1, 1).build());
        assertThat(drain(r)).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MessageType.APP_RESP);
            assertThat(m.term()).isEqualTo(3);
        });
    }

    @Test
    void aStalePreVoteIsRejectedWithTheCurrentTerm() {
        Raft r = followerOfLeader2(true);
        r.becomeFollower(3, 0);
        r.step(builder(MessageType.PRE_VOTE, 2, 1, 2).build());
        assertThat(drain(r)).singleElement().satisfies(m -> {
            assertThat(m.reject()).isTrue();
            assertThat(m.term()).isEqualTo(3);
        });
    }
}
