package io.keel.raft;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.keel.raft.RaftTests.builder;
import static io.keel.raft.RaftTests.commitNoop;
import static io.keel.raft.RaftTests.drain;
import static io.keel.raft.RaftTests.electLeader;
import static io.keel.raft.RaftTests.entry;
import static io.keel.raft.RaftTests.proposal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commit-only APPs: when the commit index advances, a follower in steady replication gets an empty
 * APP marked commit-only, which it applies and does not answer (the APPs that carried its entries
 * are answered themselves). Every other APP is answered as before.
 */
class CommitOnlyAppendTest {

    /** A leader of 1, 2, 3 with both followers in replicate state and one entry out to them. */
    private static Raft leaderWithOneEntryOut() {
        Raft r = RaftTests.plainRaft(1, 1, 2, 3);
        electLeader(r);
        commitNoop(r);
        r.step(proposal("x"));
        RaftTests.persist(r);
        drain(r);
        return r;
    }

    @Test
    void theCommitAdvanceReachesReplicatingFollowersAsCommitOnlyApps() {
        Raft r = leaderWithOneEntryOut();
        long last = r.log.lastIndex();
        r.step(builder(MessageType.APP_RESP, 2, 1, r.term).index(last).build());
        assertThat(r.log.committed()).isEqualTo(last);
        List<Message> out = drain(r);
        assertThat(out).filteredOn(m -> m.type() == MessageType.APP).hasSize(2).allSatisfy(m -> {
            assertThat(m.entries()).isEmpty();
            assertThat(m.commit()).isEqualTo(last);
            assertThat(m.commitOnly()).isTrue();
        });
    }

    @Test
    void anAppCarryingEntriesIsNeverCommitOnly() {
        Raft r = leaderWithOneEntryOut();
        long first = r.log.lastIndex();
        r.step(proposal("y")); // not yet sent: follower 2 then gets it with the commit advance
        drain(r);
        RaftTests.persist(r);
        drain(r);
        r.step(builder(MessageType.APP_RESP, 3, 1, r.term).index(first).build());
        assertThat(r.log.committed()).isEqualTo(first);
        assertThat(drain(r)).filteredOn(m -> m.type() == MessageType.APP)
                .allSatisfy(m -> assertThat(m.commitOnly()).isEqualTo(m.entries().isEmpty()));
    }

    @Test
    void aProbingFollowerGetsAnAnsweredApp() {
        Raft r = leaderWithOneEntryOut();
        long last = r.log.lastIndex();
        // Follower 3 rejects: it goes back to probing.
        r.step(builder(MessageType.APP_RESP, 3, 1, r.term).index(last).reject(true).rejectHint(last - 1).build());
        drain(r);
        r.step(builder(MessageType.APP_RESP, 2, 1, r.term).index(last).build());
        assertThat(r.log.committed()).isEqualTo(last);
        List<Message> toThree = drain(r).stream().filter(m -> m.to() == 3 && m.type() == MessageType.APP).toList();
        assertThat(toThree).allSatisfy(m -> assertThat(m.commitOnly()).isFalse());
    }

    @Test
    void heartbeatsAndProposalAppsAreNotCommitOnly() {
        Raft r = leaderWithOneEntryOut();
        r.step(proposal("z"));
        assertThat(drain(r)).filteredOn(m -> m.type() == MessageType.APP).isNotEmpty()
                .allSatisfy(m -> assertThat(m.commitOnly()).isFalse());
        r.step(Message.builder(MessageType.BEAT).build());
        assertThat(drain(r)).filteredOn(m -> m.type() == MessageType.HEARTBEAT).hasSize(2)
                .allSatisfy(m -> assertThat(m.commitOnly()).isFalse());
    }

    @Test
    void aFollowerCommitsACommitOnlyAppWithoutAnswering() {
        Raft f = RaftTests.plainRaft(2, 1, 2, 3);
        f.step(builder(MessageType.APP, 1, 2, 1).index(0).logTerm(0).entries(List.of(entry(1, 1), entry(1, 2)))
                .commit(0).build());
        RaftTests.persist(f);
        assertThat(drain(f)).extracting(Message::type).containsExactly(MessageType.APP_RESP);
        f.step(builder(MessageType.APP, 1, 2, 1).index(2).logTerm(1).commit(2).commitOnly(true).build());
        assertThat(f.log.committed()).isEqualTo(2);
        assertThat(drain(f)).isEmpty();
    }

    @Test
    void aFollowerAnswersACommitOnlyAppItCannotAccept() {
        Raft f = RaftTests.plainRaft(2, 1, 2, 3);
        f.step(builder(MessageType.APP, 1, 2, 1).index(0).logTerm(0).entries(List.of(entry(1, 1))).build());
        RaftTests.persist(f);
        drain(f);
        // The leader believes we hold index 3 (the APP carrying 2..3 was lost): we reject, and say so.
        f.step(builder(MessageType.APP, 1, 2, 1).index(3).logTerm(1).commit(3).commitOnly(true).build());
        List<Message> out = drain(f);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).type()).isEqualTo(MessageType.APP_RESP);
        assertThat(out.get(0).reject()).isTrue();
        assertThat(f.log.committed()).isZero();
    }

    @Test
    void aFollowerAnswersAnOrdinaryEmptyApp() {
        Raft f = RaftTests.plainRaft(2, 1, 2, 3);
        f.step(builder(MessageType.APP, 1, 2, 1).index(0).logTerm(0).entries(List.of(entry(1, 1))).build());
        RaftTests.persist(f);
        drain(f);
        f.step(builder(MessageType.APP, 1, 2, 1).index(1).logTerm(1).commit(1).build());
        assertThat(f.log.committed()).isEqualTo(1);
        assertThat(drain(f)).extracting(Message::type, Message::index)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(MessageType.APP_RESP, 1L));
    }
}
