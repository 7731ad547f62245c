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
 * Pipelined replication (Raft thesis 10.2.1): a leader whose term and vote are durable sends its
 * appends before persisting them, and counts its own copy toward a quorum only once persisted.
 */
class PipeliningTest {

    @Test
    void aSettledLeaderHandsOutItsAppendsToSendBeforePersisting() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        net.stabilize();
        RawNode n = net.node(leader).node;
        n.propose(RaftTests.bytes("a"));
        Ready rd = n.ready();
        assertThat(rd.entries()).hasSize(1);
        assertThat(rd.mustSync()).isTrue();
        assertThat(rd.leaderSendsFirst()).isTrue();
        assertThat(rd.messagesBeforePersist()).hasSize(2).allSatisfy(m -> {
            assertThat(m.type()).isEqualTo(MessageType.APP);
            assertThat(m.entries()).extracting(Entry::index).containsExactly(rd.entries().get(0).index());
        });
        assertThat(rd.messagesAfterPersist()).noneMatch(m -> m.type() == MessageType.APP);
        assertThat(rd.messagesBeforePersist().size() + rd.messagesAfterPersist().size())
                .isEqualTo(rd.messages().size());
        n.advance(rd);
    }

    @Test
    void votesAndAppendResponsesAlwaysWaitForPersistence() {
        TestNetwork net = TestNetwork.of(3);
        RawNode candidate = net.node(1).node;
        candidate.campaign();
        Ready campaign = candidate.ready();
        assertThat(campaign.messages()).isNotEmpty();
        assertThat(campaign.leaderSendsFirst()).isFalse();
        assertThat(campaign.messagesBeforePersist()).isEmpty();
        assertThat(campaign.messagesAfterPersist()).isEqualTo(campaign.messages());
        candidate.advance(campaign); // (its messages are dropped: campaign again for real)

        net.campaign(1);
        long leader = net.awaitLeader();
        long follower = leader == 1 ? 2 : 1;
        net.node(leader).node.propose(RaftTests.bytes("b"));
        List<Message> apps = net.node(leader).handleReady();
        RawNode f = net.node(follower).node;
        apps.stream().filter(m -> m.to() == follower && m.type() == MessageType.APP).forEach(f::step);
        Ready ack = f.ready();
        assertThat(ack.messages()).anyMatch(m -> m.type() == MessageType.APP_RESP);
        assertThat(ack.messagesBeforePersist()).isEmpty();
        f.advance(ack);
    }

    @Test
    void theLeadersUnpersistedCopyNeverCompletesAQuorum() {
        Raft r = RaftTests.plainRaft(1, 1, 2, 3);
        electLeader(r);
        commitNoop(r);
        r.step(proposal("x"));
        long last = r.log.lastIndex();
        drain(r);
        // One follower has it on disk; the leader's own copy is not yet: no majority on disk.
        r.step(builder(MessageType.APP_RESP, 2, 1, r.term).index(last).build());
        assertThat(r.log.committed()).isLessThan(last);
        // Once the leader has persisted it, two of three hold it: committed, and followers told.
        RaftTests.persist(r);
        assertThat(r.log.committed()).isEqualTo(last);
        assertThat(drain(r)).filteredOn(m -> m.type() == MessageType.APP)
                .extracting(Message::to, Message::commit).contains(org.assertj.core.groups.Tuple.tuple(2L, last));
    }

    @Test
    void aMajorityOfFollowersCommitsWithoutTheLeadersOwnCopy() {
        Raft r = RaftTests.plainRaft(1, 1, 2, 3, 4, 5);
        electLeader(r);
        commitNoop(r);
        r.step(proposal("y"));
        long last = r.log.lastIndex();
        r.step(builder(MessageType.APP_RESP, 2, 1, r.term).index(last).build());
        r.step(builder(MessageType.APP_RESP, 3, 1, r.term).index(last).build());
        assertThat(r.log.committed()).isLessThan(last);
        r.step(builder(MessageType.APP_RESP, 4, 1, r.term).index(last).build());
        // Three of five on disk; the application persists the entry before it applies it.
        assertThat(r.log.committed()).isEqualTo(last);
    }

    @Test
    void aNewLeaderCountsOnlyTheDurablePartOfItsLog() {
        Raft r = RaftTests.plainRaft(1, 1, 2, 3);
        // Entries received as a follower and not yet persisted when the member campaigns.
        r.step(builder(MessageType.APP, 2, 1, 1).index(0).logTerm(0).entries(List.of(entry(1, 1), entry(1, 2)))
                .build());
        drain(r);
        electLeader(r); // persists everything unstable, the no-op included
        assertThat(r.tracker.progress(1).match()).isEqualTo(r.log.lastIndex());

        Raft s = RaftTests.plainRaft(1, 1, 2, 3);
        s.step(builder(MessageType.APP, 2, 1, 1).index(0).logTerm(0).entries(List.of(entry(1, 1), entry(1, 2)))
                .build());
        s.becomeCandidate();
        Elections.poll(s, s.id, true);
        s.step(RaftTests.msg(MessageType.VOTE_RESP, 2, 1, s.term));
        assertThat(s.state).isEqualTo(StateRole.LEADER);
        assertThat(s.tracker.progress(1).match()).isZero(); // nothing of its log is on its disk yet
    }
}
