package io.keel.raft;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.keel.raft.RaftTests.builder;
import static io.keel.raft.RaftTests.drain;
import static org.assertj.core.api.Assertions.assertThat;

/** How a member treats messages of higher and lower terms (etcd's rules, outside the lease). */
class TermRulesTest {

    private static Raft follower(boolean checkQuorum, boolean preVote) {
        Raft r = RaftTests.newRaft(RaftTests.config(1).withCheckQuorum(checkQuorum).withPreVote(preVote),
                new MemoryStorage(), 1, 2, 3);
        r.becomeFollower(5, 0);
        return r;
    }

    @Test
    void aHigherTermFromALeaderMessageAdoptsItsSenderAsLeaderOtherwiseNoLeader() {
        for (MessageType t : List.of(MessageType.APP, MessageType.HEARTBEAT, MessageType.SNAP)) {
            Raft r = follower(true, true);
            r.step(builder(t, 2, 1, 6).build());
            assertThat(r.term).as(t.name()).isEqualTo(6);
            assertThat(r.lead).as(t.name()).isEqualTo(2);
        }
        for (MessageType t : List.of(MessageType.APP_RESP, MessageType.HEARTBEAT_RESP, MessageType.VOTE)) {
            Raft r = follower(true, true);
            r.step(builder(t, 2, 1, 6).build());
            assertThat(r.term).as(t.name()).isEqualTo(6);
            assertThat(r.lead).as(t.name()).isZero();
        }
    }

    @Test
    void aHigherTermPreVoteOrGrantedPreVoteResponseLeavesTheTermAlone() {
        Raft r = follower(true, true);
        r.step(builder(MessageType.PRE_VOTE, 2, 1, 6).build());
        assertThat(r.term).isEqualTo(5);
        Raft c = follower(true, true);
        c.step(c.local(MessageType.HUP));
        c.step(builder(MessageType.PRE_VOTE_RESP, 2, 1, 6).build());
        assertThat(c.state).isEqualTo(StateRole.CANDIDATE); // won the pre-vote, now at term 6 by itself
        assertThat(c.term).isEqualTo(6);
        Raft d = follower(true, true);
        d.step(d.local(MessageType.HUP));
        d.step(builder(MessageType.PRE_VOTE_RESP, 2, 1, 8).reject(true).build());
        assertThat(d.state).isEqualTo(StateRole.FOLLOWER); // a rejection carries the rejecter's term
        assertThat(d.term).isEqualTo(8);
    }

    @Test
    void aStaleAppendIsAnsweredOnlyWhenCheckQuorumOrPreVoteIsOn() {
        Raft quiet = follower(false, false);
        quiet.step(builder(MessageType.APP, 2, 1, 4).build());
        assertThat(drain(quiet)).isEmpty();
        Raft loud = follower(false, true);
        loud.step(builder(MessageType.APP, 2, 1, 4).build());
        assertThat(drain(loud)).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MessageType.APP_RESP);
            assertThat(m.term()).isEqualTo(5);
        });
    }

    @Test
    void otherStaleMessagesAreIgnored() {
        Raft r = follower(true, true);
        r.step(builder(MessageType.VOTE, 2, 1, 4).index(100).logTerm(4).build());
        r.step(builder(MessageType.SNAP, 2, 1, 4).build());
        assertThat(drain(r)).isEmpty();
        assertThat(r.term).isEqualTo(5);
        assertThat(r.vote).isZero();
    }
}
