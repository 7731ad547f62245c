package io.keel.raft;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Leadership transfer (Raft thesis 3.10): catch up, TIMEOUT_NOW, abandon after a timeout. */
class LeaderTransferTest {

    @Test
    void transferringToAnUpToDateFollowerMakesItLeaderAtOnce() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        long target = leader % 3 + 1;
        long term = net.node(leader).status().hardState().term();
        net.node(leader).node.transferLeader(target);
        net.stabilize();
        assertThat(net.leaders()).containsExactly(target);
        assertThat(net.node(target).status().hardState().term()).isEqualTo(term + 1);
        assertThat(net.delivered).anyMatch(m -> m.type() == MessageType.TIMEOUT_NOW && m.to() == target);
    }

    @Test
    void aLaggingTargetIsCaughtUpBeforeItIsToldToCampaign() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        long target = leader % 3 + 1;
        net.stop(target);
        net.propose(leader, "missed");
        net.start(target);
        net.delivered.clear();
        net.node(leader).node.transferLeader(target);
        net.stabilize();
        assertThat(net.leaders()).containsExactly(target);
        int firstApp = indexOf(net, MessageType.APP, target);
        int timeoutNow = indexOf(net, MessageType.TIMEOUT_NOW, target);
        assertThat(firstApp).isNotNegative().isLessThan(timeoutNow);
        assertThat(net.node(target).appliedData()).containsExactly("missed");
    }

    private static int indexOf(TestNetwork net, MessageType type, long to) {
        for (int i = 0; i < net.delivered.size(); i++) {
            if (net.delivered.get(i).type() == type && net.delivered.get(i).to() == to) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void proposalsAreDroppedWhileATransferIsInProgressAndTheTransferIsAbandonedAfterAnElectionTimeout() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        long target = leader % 3 + 1;
        net.stop(target);
        net.node(leader).node.transferLeader(target);
        net.stabilize();
        assertThat(net.node(leader).status().leadTransferee()).isEqualTo(target);
        assertThatThrownBy(() -> net.node(leader).node.propose(RaftTests.bytes("x")))
                .isInstanceOf(ProposalDroppedException.class).hasMessageContaining("transfer");
        for (int i = 0; i < RaftTests.ELECTION; i++) {
            net.node(leader).node.tick();
            net.stabilize();
        }
        assertThat(net.node(leader).status().leadTransferee()).isZero();
        assertThat(net.leaders()).containsExactly(leader);
        net.propose(leader, "after");
        assertThat(net.node(leader).appliedData()).containsExactly("after");
    }

    @Test
    void aFollowerForwardsATransferRequestToTheLeader() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        long target = leader % 3 + 1;
        net.node(target).node.transferLeader(target);
        net.stabilize();
        assertThat(net.leaders()).containsExactly(target);
    }

    @Test
    void aTransferToALearnerIsIgnored() {
        Raft r = RaftTests.plainRaft(1, 1, 2);
        r.applyConfChange(new ConfChange(ConfChangeType.ADD_LEARNER_NODE, 3, null));
        RaftTests.electLeader(r);
        r.step(Message.builder(MessageType.TRANSFER_LEADER).from(3).build());
        assertThat(r.leadTransferee).isZero();
    }

    @Test
    void aTransferCampaignSkipsPreVoteAndCarriesTheTransferContext() {
        Raft r = RaftTests.newRaft(RaftTests.config(2), new MemoryStorage(), 1, 2, 3);
        r.becomeFollower(1, 1);
        r.step(RaftTests.msg(MessageType.TIMEOUT_NOW, 1, 2, 1));
        assertThat(r.state).isEqualTo(StateRole.CANDIDATE);
        assertThat(RaftTests.drain(r)).extracting(Message::type).containsOnly(MessageType.VOTE);
        r.becomeFollower(r.term, 1);
        r.step(RaftTests.msg(MessageType.TIMEOUT_NOW, 1, 2, r.term));
        assertThat(RaftTests.drain(r)).allSatisfy(m ->
                assertThat(CampaignType.isTransferContext(m.context())).isTrue());
    }
}
