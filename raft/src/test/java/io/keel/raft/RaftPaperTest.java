package io.keel.raft;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.keel.raft.RaftTests.ELECTION;
import static io.keel.raft.RaftTests.builder;
import static io.keel.raft.RaftTests.drain;
import static io.keel.raft.RaftTests.electLeader;
import static io.keel.raft.RaftTests.entry;
import static io.keel.raft.RaftTests.msg;
import static io.keel.raft.RaftTests.persist;
import static io.keel.raft.RaftTests.plainRaft;
import static io.keel.raft.RaftTests.storageWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One test per rule of the Raft paper, sections 5.1 to 5.4, in the init / step / check shape of
 * etcd's raft_paper_test. Pre-vote and check-quorum are off here: the paper has neither.
 */
class RaftPaperTest {

    // ---- 5.1 Raft basics ----------------------------------------------------------------------

    @Test
    void everyRoleAdoptsAHigherTermAndBecomesFollower() {
        for (StateRole role : List.of(StateRole.FOLLOWER, StateRole.CANDIDATE, StateRole.LEADER)) {
            Raft r = plainRaft(1, 1, 2, 3);
            switch (role) {
                case FOLLOWER -> r.becomeFollower(1, 2);
                case CANDIDATE -> r.becomeCandidate();
                default -> electLeader(r);
            }
            r.step(msg(MessageType.APP, 2, 1, 2));
            assertThat(r.term).as(role.name()).isEqualTo(2);
            assertThat(r.state).as(role.name()).isEqualTo(StateRole.FOLLOWER);
        }
    }

    @Test
    void aMessageWithAStaleTermIsIgnored() {
        Raft r = plainRaft(1, 1, 2, 3);
        r.log.append(List.of(entry(2, 1)));
        r.becomeFollower(2, 0);
        r.step(builder(MessageType.APP, 2, 1, 1).index(1).logTerm(2).entries(List.of(entry(1, 2))).build());
        assertThat(r.log.lastIndex()).isEqualTo(1);
        assertThat(r.term).isEqualTo(2);
        assertThat(drain(r)).isEmpty();
    }

    @Test
    void aMemberStartsAsFollower() {
        Raft r = plainRaft(1, 1, 2, 3);
        assertThat(r.state).isEqualTo(StateRole.FOLLOWER);
        assertThat(r.term).isZero();
    }

    // ---- 5.2 Leader election ------------------------------------------------------------------

    @Test
    void leaderSendsHeartbeatsEveryHeartbeatInterval() {
        Raft r = plainRaft(1, 1, 2, 3);
        electLeader(r);
        r.tick();
        List<Message> msgs = drain(r);
        assertThat(msgs).extracting(Message::type).containsOnly(MessageType.HEARTBEAT);
        assertThat(msgs).extracting(Message::to).containsExactly(2L, 3L);
        assertThat(msgs).allSatisfy(m -> assertThat(m.term()).isEqualTo(r.term));
    }

    @Test
    void followerAndCandidateStartAnElectionWhenTheirTimeoutExpires() {
        for (boolean candidate : new boolean[] {false, true}) {
            Raft r = plainRaft(1, 1, 2, 3);
            if (candidate) {
                r.becomeCandidate();
            } else {
                r.becomeFollower(1, 2);
            }
            long termBefore = r.term;
            for (int i = 0; i < 2 * ELECTION; i++) {
                r.tick();
            }
            assertThat(r.state).isEqualTo(StateRole.CANDIDATE);
            assertThat(r.term).isEqualTo(termBefore + 1);
            assertThat(r.vote).isEqualTo(1);
            List<Message> votes = drain(r).stream().filter(m -> m.term() == r.term).toList();
            assertThat(votes).extracting(Message::type).containsOnly(MessageType.VOTE);
            assertThat(votes).extracting(Message::to).containsExactly(2L, 3L);
        }
    }

    @Test
    void candidateWinsLosesOrWaitsDependingOnTheVotesOfAMajority() {
        record Case(int size, Set<Long> granted, Set<Long> rejected, StateRole expected) {
        }
        List<Case> cases = List.of(
                new Case(1, Set.of(), Set.of(), StateRole.LEADER),
                new Case(3, Set.of(2L), Set.of(), StateRole.LEADER),
                new Case(3, Set.of(2L, 3L), Set.of(), StateRole.LEADER),
                new Case(5, Set.of(2L, 3L), Set.of(), StateRole.LEADER),
                new Case(3, Set.of(), Set.of(), StateRole.CANDIDATE),
                new Case(5, Set.of(2L), Set.of(), StateRole.CANDIDATE),
                new Case(3, Set.of(), Set.of(2L, 3L), StateRole.FOLLOWER),
                new Case(5, Set.of(2L), Set.of(3L, 4L, 5L), StateRole.FOLLOWER));
        for (Case c : cases) {
            long[] ids = new long[c.size];
            for (int i = 0; i < c.size; i++) {
                ids[i] = i + 1;
            }
            Raft r = plainRaft(1, ids);
            r.step(r.local(MessageType.HUP));
            for (long g : c.granted) {
                r.step(msg(MessageType.VOTE_RESP, g, 1, r.term));
            }
            for (long rej : c.rejected) {
                r.step(builder(MessageType.VOTE_RESP, rej, 1, r.term).reject(true).build());
            }
            assertThat(r.state).as(c.toString()).isEqualTo(c.expected);
            assertThat(r.term).as(c.toString()).isEqualTo(1);
        }
    }

    @Test
    void followerVotesForAtMostOneCandidatePerTermFirstComeFirstServed() {
        long[][] cases = {{0, 2, 0}, {0, 3, 0}, {2, 2, 0}, {3, 3, 0}, {2, 3, 1}, {3, 2, 1}};
        for (long[] c : cases) {
            Raft r = plainRaft(1, 1, 2, 3);
            r.term = 1;
            r.vote = c[0];
            r.step(builder(MessageType.VOTE, c[1], 1, 1).build());
            List<Message> msgs = drain(r);
            assertThat(msgs).hasSize(1);
            assertThat(msgs.get(0).type()).isEqualTo(MessageType.VOTE_RESP);
            assertThat(msgs.get(0).reject()).as("vote=%d from=%d", c[0], c[1]).isEqualTo(c[2] == 1);
        }
    }

    @Test
    void candidateYieldsToALeaderOfItsOwnTerm() {
        Raft r = plainRaft(1, 1, 2, 3);
        r.step(r.local(MessageType.HUP));
        r.step(msg(MessageType.APP, 2, 1, r.term));
        assertThat(r.state).isEqualTo(StateRole.FOLLOWER);
        assertThat(r.lead).isEqualTo(2);
        assertThat(r.term).isEqualTo(1);
    }

    @Test
    void electionTimeoutIsRandomizedWithinOneToTwoElectionTimeouts() {
        Set<Integer> seen = new HashSet<>();
        Raft r = plainRaft(1, 1, 2, 3);
        for (int i = 0; i < 200; i++) {
            r.becomeFollower(r.term + 1, 0);
            assertThat(r.randomizedElectionTimeout).isBetween(ELECTION, 2 * ELECTION - 1);
            seen.add(r.randomizedElectionTimeout);
        }
        assertThat(seen).hasSize(ELECTION); // every value of the range occurs
    }

    @Test
    void randomizedTimeoutsMakeOneFollowerTimeOutAlone() {
        int conflicts = 0;
        for (long round = 0; round < 100; round++) {
            Raft a = RaftTests.newRaft(RaftTests.config(1).withPreVote(false).withCheckQuorum(false),
                    new MemoryStorage(), 1, 2, 3);
            Raft b = RaftTests.newRaft(RaftTests.config(2).withPreVote(false).withCheckQuorum(false),
                    new MemoryStorage(), 1, 2, 3);
            for (int i = 0; i < round % 7; i++) {
                a.becomeFollower(a.term + 1, 0);
                b.becomeFollower(b.term + 1, 0);
            }
            if (a.randomizedElectionTimeout == b.randomizedElectionTimeout) {
                conflicts++;
            }
        }
        assertThat(conflicts).isLessThan(30);
    }

    // ---- 5.3 Log replication ------------------------------------------------------------------

    @Test
    void leaderAppendsAProposalAndSendsItToEveryFollower() {
        Raft r = plainRaft(1, 1, 2, 3);
        electLeader(r);
        RaftTests.commitNoop(r);
        r.step(builder(MessageType.PROP, 1, 1, 0).entries(List.of(entry(0, 0, "x"))).build());
        List<Message> msgs = drain(r);
        assertThat(r.log.lastIndex()).isEqualTo(2);
        assertThat(msgs).extracting(Message::type).containsOnly(MessageType.APP);
        assertThat(msgs).extracting(Message::to).containsExactly(2L, 3L);
        for (Message m : msgs) {
            assertThat(m.index()).isEqualTo(1);
            assertThat(m.logTerm()).isEqualTo(1);
            assertThat(m.entries()).containsExactly(entry(1, 2, "x"));
        }
    }

    @Test
    void leaderCommitsAnEntryOnceAMajorityStoredIt() {
        Raft r = plainRaft(1, 1, 2, 3, 4, 5);
        electLeader(r);
        r.step(builder(MessageType.APP_RESP, 2, 1, r.term).index(1).build());
        assertThat(r.log.committed()).isZero();
        drain(r);
        r.step(builder(MessageType.APP_RESP, 3, 1, r.term).index(1).build());
        assertThat(r.log.committed()).isEqualTo(1);
        // The new commit index goes out to everyone.
        assertThat(drain(r)).filteredOn(m -> m.type() == MessageType.APP).allSatisfy(m ->
                assertThat(m.commit()).isEqualTo(1));
    }

    @Test
    void committingAnEntryCommitsAllPrecedingEntriesIncludingOldTerms() {
        Raft r = RaftTests.newRaft(RaftTests.config(1).withPreVote(false).withCheckQuorum(false),
                storageWith(entry(1, 1), entry(1, 2)), 1, 2, 3);
        r.term = 1;
        electLeader(r); // term 2, no-op at index 3
        r.step(builder(MessageType.APP_RESP, 2, 1, r.term).index(3).build());
        assertThat(r.log.committed()).isEqualTo(3);
    }

    @Test
    void followerAppliesTheLeaderCommitIndexUpToWhatItHas() {
        Raft r = plainRaft(1, 1, 2, 3);
        r.becomeFollower(1, 2);
        r.step(builder(MessageType.APP, 2, 1, 1).index(0).logTerm(0)
                .entries(List.of(entry(1, 1), entry(1, 2))).commit(1).build());
        assertThat(r.log.committed()).isEqualTo(1);
        r.step(builder(MessageType.APP, 2, 1, 1).index(2).logTerm(1).commit(5).build());
        assertThat(r.log.committed()).isEqualTo(2); // never beyond the last new entry
    }

    @Test
    void followerRejectsAnAppendWhosePreviousEntryItLacks() {
        Raft r = RaftTests.newRaft(RaftTests.config(1).withPreVote(false).withCheckQuorum(false),
                storageWith(entry(1, 1), entry(2, 2)), 1, 2, 3);
        r.becomeFollower(2, 2);
        long[][] cases = {{2, 2, 0}, {1, 1, 0}, {2, 3, 1}, {3, 2, 1}};
        for (long[] c : cases) {
            r.step(builder(MessageType.APP, 2, 1, 2).logTerm(c[0]).index(c[1]).build());
            Message resp = drain(r).get(0);
            assertThat(resp.reject()).as("logTerm=%d index=%d", c[0], c[1]).isEqualTo(c[2] == 1);
        }
    }

    @Test
    void followerDeletesAConflictingSuffixAndAppendsTheLeaderEntries() {
        Raft r = RaftTests.newRaft(RaftTests.config(1).withPreVote(false).withCheckQuorum(false),
                storageWith(entry(1, 1), entry(2, 2), entry(2, 3)), 1, 2, 3);
        r.becomeFollower(3, 2);
        r.step(builder(MessageType.APP, 2, 1, 3).index(1).logTerm(1)
                .entries(List.of(entry(3, 2), entry(3, 3), entry(3, 4))).build());
        assertThat(r.log.slice(1, 5, Long.MAX_VALUE)).containsExactly(entry(1, 1), entry(3, 2), entry(3, 3),
                entry(3, 4));
        assertThat(drain(r).get(0).index()).isEqualTo(4);
    }

    @Test
    void leaderBringsADivergedFollowerLogInLineWithItsOwn() {
        MemoryStorage leaderStore = storageWith(entry(1, 1), entry(1, 2), entry(4, 3), entry(4, 4), entry(5, 5),
                entry(6, 6));
        MemoryStorage followerStore = storageWith(entry(1, 1), entry(1, 2), entry(2, 3), entry(2, 4), entry(3, 5),
                entry(3, 6), entry(3, 7), entry(3, 8));
        Raft leader = RaftTests.newRaft(RaftTests.config(1).withPreVote(false).withCheckQuorum(false),
                leaderStore, 1, 2, 3);
        Raft follower = RaftTests.newRaft(RaftTests.config(2).withPreVote(false).withCheckQuorum(false),
                followerStore, 1, 2, 3);
        leader.term = 7;
        electLeader(leader);
        Replicator.bcastAppend(leader);
        // Exchange messages between the two only (member 3 is down).
        for (int i = 0; i < 50; i++) {
            leader.tick();
            List<Message> toFollower = drain(leader).stream().filter(m -> m.to() == 2).toList();
            toFollower.forEach(follower::step);
            persist(follower, followerStore);
            drain(follower).forEach(leader::step);
            persist(leader, leaderStore);
        }
        assertThat(follower.log.slice(1, follower.log.lastIndex() + 1, Long.MAX_VALUE))
                .isEqualTo(leader.log.slice(1, leader.log.lastIndex() + 1, Long.MAX_VALUE));
        assertThat(leader.log.committed()).isEqualTo(leader.log.lastIndex());
    }

    // ---- 5.4 Safety ---------------------------------------------------------------------------

    @Test
    void voteRequestsCarryTheCandidatesLastLogPosition() {
        Raft r = RaftTests.newRaft(RaftTests.config(1).withPreVote(false).withCheckQuorum(false),
                storageWith(entry(1, 1), entry(2, 2)), 1, 2, 3);
        r.term = 2;
        r.step(r.local(MessageType.HUP));
        for (Message m : drain(r)) {
            assertThat(m.index()).isEqualTo(2);
            assertThat(m.logTerm()).isEqualTo(2);
            assertThat(m.term()).isEqualTo(3);
        }
    }

    @Test
    void voterDeniesItsVoteToACandidateWithALessUpToDateLog() {
        // Voter log: (1,1) (2,2). Candidate last (term, index) -> rejected?
        long[][] cases = {{2, 2, 0}, {2, 3, 0}, {2, 1, 1}, {3, 1, 0}, {1, 5, 1}, {1, 2, 1}};
        for (long[] c : cases) {
            Raft r = RaftTests.newRaft(RaftTests.config(1).withPreVote(false).withCheckQuorum(false),
                    storageWith(entry(1, 1), entry(2, 2)), 1, 2, 3);
            r.step(builder(MessageType.VOTE, 2, 1, 3).logTerm(c[0]).index(c[1]).build());
            Message resp = drain(r).get(0);
            assertThat(resp.reject()).as("logTerm=%d index=%d", c[0], c[1]).isEqualTo(c[2] == 1);
        }
    }

    @Test
    void leaderCommitsOnlyEntriesOfItsOwnTermByCountingReplicas() {
        Raft r = RaftTests.newRaft(RaftTests.config(1).withPreVote(false).withCheckQuorum(false),
                storageWith(entry(1, 1), entry(2, 2)), 1, 2, 3);
        r.term = 2;
        electLeader(r); // term 3, no-op at index 3
        // A majority holding index 2 (term 2) does not commit it...
        r.step(builder(MessageType.APP_RESP, 2, 1, r.term).index(2).build());
        assertThat(r.log.committed()).isZero();
        // ...only a majority on an entry of term 3 does, and with it everything before.
        r.step(builder(MessageType.APP_RESP, 2, 1, r.term).index(3).build());
        assertThat(r.log.committed()).isEqualTo(3);
    }
}
