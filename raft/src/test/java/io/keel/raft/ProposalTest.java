package io.keel.raft;

import org.junit.jupiter.api.Test;

import static io.keel.raft.RaftTests.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Proposal forwarding, and proposals that are dropped loudly rather than lost. */
class ProposalTest {

    @Test
    void aFollowerForwardsProposalsToTheLeaderWithoutATerm() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        long follower = leader % 3 + 1;
        net.delivered.clear();
        net.propose(follower, "fwd");
        assertThat(net.delivered).filteredOn(m -> m.type() == MessageType.PROP).singleElement().satisfies(m -> {
            assertThat(m.to()).isEqualTo(leader);
            assertThat(m.from()).isEqualTo(follower);
            assertThat(m.term()).isZero();
        });
        for (TestNode n : net.nodes.values()) {
            assertThat(n.appliedData()).containsExactly("fwd");
        }
    }

    @Test
    void withForwardingDisabledAFollowerDropsProposals() {
        TestNetwork net = TestNetwork.of(3, c -> new RaftConfig(c.id(), c.electionTicks(), c.heartbeatTicks(),
                c.applied(), c.maxSizePerMsgBytes(), c.maxCommittedSizePerReadyBytes(),
                c.maxUncommittedEntriesSizeBytes(), c.maxInflightMsgs(), c.checkQuorum(), c.preVote(),
                c.readOnlyOption(), true));
        long leader = net.awaitLeader();
        long follower = leader % 3 + 1;
        assertThatThrownBy(() -> net.node(follower).node.propose(bytes("x")))
                .isInstanceOf(ProposalDroppedException.class).hasMessageContaining("forwarding");
    }

    @Test
    void withoutALeaderProposalsAreDropped() {
        TestNetwork net = TestNetwork.of(3);
        assertThatThrownBy(() -> net.node(1).node.propose(bytes("x")))
                .isInstanceOf(ProposalDroppedException.class).hasMessageContaining("no leader");
        Raft candidate = RaftTests.plainRaft(1, 1, 2, 3);
        candidate.step(candidate.local(MessageType.HUP));
        assertThatThrownBy(() -> candidate.step(Message.builder(MessageType.PROP).from(1)
                .entries(java.util.List.of(Entry.normal(0, 0, bytes("y")))).build()))
                .isInstanceOf(ProposalDroppedException.class);
    }

    @Test
    void aMemberOutsideTheConfigurationDropsProposals() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        long follower = leader % 3 + 1;
        net.node(leader).node.proposeConfChange(new ConfChange(ConfChangeType.REMOVE_NODE, follower, null));
        net.stabilize();
        assertThat(net.node(follower).status().confState().contains(follower)).isFalse();
        assertThatThrownBy(() -> net.node(follower).node.propose(bytes("x")))
                .isInstanceOf(ProposalDroppedException.class).hasMessageContaining("not in the configuration");
    }

    @Test
    void aForwardedProposalTheLeaderCannotAcceptIsDroppedWithoutFailingTheLeader() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        long follower = leader % 3 + 1;
        long other = 6 - leader - follower;
        net.stop(other);
        net.node(leader).node.transferLeader(other); // blocks proposals on the leader
        net.stabilize();
        net.propose(follower, "dropped");
        assertThat(net.node(leader).appliedData()).isEmpty();
    }
}
