package io.keel.raft;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.keel.raft.RaftTests.builder;
import static io.keel.raft.RaftTests.bytes;
import static io.keel.raft.RaftTests.commitNoop;
import static io.keel.raft.RaftTests.drain;
import static io.keel.raft.RaftTests.electLeader;
import static org.assertj.core.api.Assertions.assertThat;

/** ReadIndex (Raft thesis 6.4): SAFE and LEASE_BASED, forwarding, and the current-term rule. */
class ReadIndexTest {

    private static Message readRequest(String ctx) {
        return Message.builder(MessageType.READ_INDEX).context(bytes(ctx)).build();
    }

    @Test
    void aSafeReadIsAnsweredOnlyAfterAQuorumAcknowledgesAHeartbeatCarryingItsContext() {
        Raft r = RaftTests.plainRaft(1, 1, 2, 3);
        electLeader(r);
        commitNoop(r);
        r.step(readRequest("ctx"));
        List<Message> heartbeats = drain(r);
        assertThat(heartbeats).extracting(Message::type).containsOnly(MessageType.HEARTBEAT);
        assertThat(heartbeats).allSatisfy(m -> assertThat(m.context()).isEqualTo(bytes("ctx")));
        assertThat(r.readStates).isEmpty();
        // An acknowledgement without the context proves nothing about this read.
        r.step(builder(MessageType.HEARTBEAT_RESP, 2, 1, r.term).build());
        assertThat(r.readStates).isEmpty();
        r.step(builder(MessageType.HEARTBEAT_RESP, 2, 1, r.term).context(bytes("ctx")).build());
        assertThat(r.readStates).containsExactly(new ReadState(1, bytes("ctx")));
    }

    @Test
    void answeringALaterReadAlsoAnswersTheEarlierOnes() {
        Raft r = RaftTests.plainRaft(1, 1, 2, 3);
        electLeader(r);
        commitNoop(r);
        r.step(readRequest("a"));
        r.step(readRequest("b"));
        r.step(builder(MessageType.HEARTBEAT_RESP, 3, 1, r.term).context(bytes("b")).build());
        assertThat(r.readStates).containsExactly(new ReadState(1, bytes("a")), new ReadState(1, bytes("b")));
    }

    @Test
    void aNewLeaderHoldsReadsUntilItCommitsAnEntryOfItsTerm() {
        Raft r = RaftTests.plainRaft(1, 1, 2, 3);
        electLeader(r);
        r.step(readRequest("early"));
        assertThat(drain(r)).isEmpty();
        assertThat(r.pendingReadIndexMessages).hasSize(1);
        r.step(builder(MessageType.APP_RESP, 2, 1, r.term).index(1).build()); // commits the no-op
        assertThat(drain(r)).filteredOn(m -> m.type() == MessageType.HEARTBEAT)
                .allSatisfy(m -> assertThat(m.context()).isEqualTo(bytes("early"))).isNotEmpty();
        r.step(builder(MessageType.HEARTBEAT_RESP, 2, 1, r.term).context(bytes("early")).build());
        assertThat(r.readStates).containsExactly(new ReadState(1, bytes("early")));
    }

    @Test
    void aSingleMemberAnswersWithoutAHeartbeatRoundOnceItsNoopIsOnDisk() {
        Raft r = RaftTests.plainRaft(1, 1);
        r.step(r.local(MessageType.HUP));
        r.step(readRequest("solo"));
        assertThat(r.readStates).isEmpty(); // the no-op is not durable yet, so not committed
        RaftTests.persist(r);
        assertThat(r.readStates).containsExactly(new ReadState(1, bytes("solo")));
        r.step(readRequest("again"));
        assertThat(r.readStates).containsExactly(new ReadState(1, bytes("solo")), new ReadState(1, bytes("again")));
    }

    @Test
    void aLeaseBasedReadIsAnsweredWithoutAHeartbeatRound() {
        RaftConfig base = RaftTests.config(1);
        RaftConfig lease = new RaftConfig(1, base.electionTicks(), base.heartbeatTicks(), 0, base.maxSizePerMsgBytes(),
                base.maxCommittedSizePerReadyBytes(), 0, base.maxInflightMsgs(), true, true,
                ReadOnlyOption.LEASE_BASED, false);
        Raft r = RaftTests.newRaft(lease, new MemoryStorage(), 1, 2, 3);
        electLeader(r);
        commitNoop(r);
        r.step(readRequest("lease"));
        assertThat(drain(r)).isEmpty();
        assertThat(r.readStates).containsExactly(new ReadState(1, bytes("lease")));
    }

    @Test
    void aFollowerForwardsItsReadToTheLeaderAndReceivesTheLeadersCommitIndex() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        net.propose(leader, "x");
        long follower = leader % 3 + 1;
        net.node(follower).node.readIndex(bytes("f"));
        net.stabilize();
        long commit = net.node(leader).status().hardState().commit();
        assertThat(net.node(follower).readStates).containsExactly(new ReadState(commit, bytes("f")));
        assertThat(net.node(leader).readStates).isEmpty();
    }

    @Test
    void aFollowerWithoutLeaderDropsTheRead() {
        Raft r = RaftTests.plainRaft(1, 1, 2, 3);
        r.step(readRequest("lost"));
        assertThat(drain(r)).isEmpty();
        assertThat(r.readStates).isEmpty();
    }
}
