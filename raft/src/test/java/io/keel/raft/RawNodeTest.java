package io.keel.raft;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static io.keel.raft.RaftTests.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The RawNode API: bootstrap, restart, the Ready contract, status and step's input checks. */
class RawNodeTest {

    private static RawNode node(long id, MemoryStorage storage) {
        return new RawNode(RaftTests.config(id), storage, new SplittableRandom(id));
    }

    @Test
    void bootstrapHandsOutOneCommittedAddNodePerVoterAtTermOne() {
        MemoryStorage storage = new MemoryStorage();
        RawNode n = node(1, storage);
        n.bootstrap(List.of(1L, 2L, 3L));
        Ready rd = n.ready();
        assertThat(rd.entries()).hasSize(3);
        assertThat(rd.committedEntries()).isEqualTo(rd.entries());
        for (int i = 0; i < 3; i++) {
            Entry e = rd.entries().get(i);
            assertThat(e.term()).isEqualTo(1);
            assertThat(e.index()).isEqualTo(i + 1);
            assertThat(ConfChange.decode(e.data())).isEqualTo(new ConfChange(ConfChangeType.ADD_NODE, i + 1, null));
        }
        assertThat(rd.hardState()).isEqualTo(new HardState(1, 0, 3));
        assertThat(rd.mustSync()).isTrue();
        assertThat(n.status().confState().voters()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void bootstrapRefusesNonEmptyStorage() {
        MemoryStorage storage = RaftTests.storageWith(RaftTests.entry(1, 1));
        assertThatThrownBy(() -> node(1, storage).bootstrap(List.of(1L))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onRestartTheConfigurationComesFromTheSnapshotAndLaterConfChangesAreRedelivered() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        net.propose(leader, "a");
        TestNode n = net.node(leader);
        n.snapshotAndCompact();
        n.node.proposeConfChange(new ConfChange(ConfChangeType.ADD_LEARNER_NODE, 4, null));
        net.stabilize();
        assertThat(n.confState.learners()).containsExactly(4L);
        n.restart();
        // Before re-delivery Raft knows only the snapshot's configuration...
        assertThat(n.status().confState().learners()).isEmpty();
        net.tickAll(); // ...and the committed conf change comes out again to be re-applied.
        assertThat(n.status().confState().learners()).containsExactly(4L);
        assertThat(n.confState.learners()).containsExactly(4L);
        assertThat(n.status().hardState().term()).isPositive();
    }

    @Test
    void restartingWithAnAppliedIndexBelowTheSnapshotStartsAfterTheSnapshot() {
        MemoryStorage storage = RaftTests.storageWith(RaftTests.entry(1, 1), RaftTests.entry(1, 2),
                RaftTests.entry(1, 3));
        storage.setHardState(new HardState(1, 0, 3));
        storage.createSnapshot(2, ConfState.ofVoters(1L), null);
        storage.compact(2);
        RawNode n = new RawNode(RaftTests.config(1).withApplied(1), storage, new SplittableRandom(1));
        assertThat(n.status().applied()).isEqualTo(2);
        assertThat(n.ready().committedEntries()).containsExactly(RaftTests.entry(1, 3));
        RawNode m = new RawNode(RaftTests.config(1).withApplied(3), storage, new SplittableRandom(1));
        assertThat(m.hasReady()).isFalse();
    }

    @Test
    void mustSyncIsSetForNewEntriesOrANewTermOrVoteOnly() {
        MemoryStorage storage = new MemoryStorage();
        RawNode n = node(1, storage);
        n.bootstrap(List.of(1L, 2L));
        Ready rd = n.ready();
        storage.append(rd.entries());
        storage.setHardState(rd.hardState());
        n.advance(rd);
        // New entries do.
        n.step(Message.builder(MessageType.APP).from(2).to(1).term(1).index(2).logTerm(1)
                .entries(List.of(RaftTests.entry(1, 3))).commit(2).build());
        rd = n.ready();
        assertThat(rd.mustSync()).isTrue();
        storage.append(rd.entries());
        n.advance(rd);
        // A commit-only change does not need a barrier.
        n.step(Message.builder(MessageType.HEARTBEAT).from(2).to(1).term(1).commit(3).build());
        rd = n.ready();
        assertThat(rd.mustSync()).isFalse();
        assertThat(rd.hardState()).isEqualTo(new HardState(1, 0, 3));
        n.advance(rd);
        // A vote does (a transfer campaign, so the leader lease does not make us ignore it).
        n.step(Message.builder(MessageType.VOTE).from(2).to(1).term(2).index(3).logTerm(1)
                .context(CampaignType.transferContext()).build());
        rd = n.ready();
        assertThat(rd.hardState()).isEqualTo(new HardState(2, 2, 3));
        assertThat(rd.mustSync()).isTrue();
    }

    @Test
    void stepRejectsLocalMessageTypesFromTheNetwork() {
        RawNode n = node(1, new MemoryStorage());
        for (MessageType t : MessageType.values()) {
            if (t.isLocal()) {
                assertThatThrownBy(() -> n.step(Message.builder(t).from(2).to(1).build()))
                        .as(t.name()).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void responsesFromMembersOutsideTheConfigurationAreDropped() {
        MemoryStorage storage = new MemoryStorage();
        RawNode n = node(1, storage);
        n.bootstrap(List.of(1L, 2L));
        n.step(Message.builder(MessageType.VOTE_RESP).from(9).to(1).term(5).build());
        assertThat(n.status().hardState().term()).isEqualTo(1); // a stranger cannot move our term
        n.step(Message.builder(MessageType.APP).from(9).to(1).term(5).build());
        assertThat(n.status().hardState().term()).isEqualTo(5); // requests are processed, as in etcd
    }

    @Test
    void statusShowsProgressOnlyOnTheLeader() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        RaftStatus status = net.node(leader).status();
        assertThat(status.progress()).containsOnlyKeys(1L, 2L, 3L);
        assertThat(status.progress().get(leader).match()).isEqualTo(status.hardState().commit());
        assertThat(net.node(leader % 3 + 1).status().progress()).isEmpty();
        assertThat(status.softState()).isEqualTo(new SoftState(leader, StateRole.LEADER));
    }

    @Test
    void messagesCarryTheCurrentTermExceptProposalsAndReadIndexRequests() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        long follower = leader % 3 + 1;
        net.propose(follower, "x");
        net.node(follower).node.readIndex(bytes("r"));
        net.stabilize();
        for (Message m : net.delivered) {
            boolean termless = m.type() == MessageType.PROP || m.type() == MessageType.READ_INDEX;
            assertThat(m.term() == 0).as(m.toString()).isEqualTo(termless);
        }
    }

    @Test
    void readyMayNotBeTakenTwiceBeforeAdvance() {
        RawNode n = node(1, new MemoryStorage());
        n.bootstrap(List.of(1L));
        Ready rd = n.ready();
        assertThat(n.hasReady()).isFalse();
        assertThatThrownBy(n::ready).isInstanceOf(IllegalStateException.class);
        n.advance(rd);
    }

    @Test
    void committedEntriesPerReadyAreBoundedInBytes() {
        MemoryStorage storage = new MemoryStorage();
        RaftConfig base = RaftTests.config(1);
        RaftConfig small = new RaftConfig(1, base.electionTicks(), base.heartbeatTicks(), 0, base.maxSizePerMsgBytes(),
                100, 0, base.maxInflightMsgs(), true, true, ReadOnlyOption.SAFE, false);
        RawNode n = new RawNode(small, storage, new SplittableRandom(1));
        n.bootstrap(List.of(1L, 2L, 3L, 4L, 5L));
        int readies = 0;
        while (n.hasReady()) {
            Ready rd = n.ready();
            assertThat(rd.committedEntries().size()).isLessThanOrEqualTo(2);
            storage.append(rd.entries());
            n.advance(rd);
            readies++;
        }
        assertThat(readies).isGreaterThan(1);
    }
}
