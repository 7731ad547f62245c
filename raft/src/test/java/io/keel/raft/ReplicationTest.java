package io.keel.raft;

import io.keel.raft.tracker.ProgressState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.keel.raft.RaftTests.builder;
import static io.keel.raft.RaftTests.commitNoop;
import static io.keel.raft.RaftTests.drain;
import static io.keel.raft.RaftTests.electLeader;
import static io.keel.raft.RaftTests.entry;
import static io.keel.raft.RaftTests.proposal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Log replication: flow control, batching, fast backtracking and the uncommitted-size limit. */
class ReplicationTest {

    private static List<Message> appsTo(List<Message> msgs, long to) {
        return msgs.stream().filter(m -> m.type() == MessageType.APP && m.to() == to).toList();
    }

    @Test
    void proposalsAreAppliedInTheSameOrderOnEveryMember() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        for (int i = 0; i < 20; i++) {
            net.propose(leader, "v" + i);
        }
        List<String> expected = net.node(leader).appliedData();
        assertThat(expected).hasSize(20);
        for (TestNode n : net.nodes.values()) {
            assertThat(n.appliedData()).isEqualTo(expected);
        }
    }

    @Test
    void followerProgressMovesFromProbeToReplicateOnItsFirstAcknowledgement() {
        Raft r = RaftTests.plainRaft(1, 1, 2, 3);
        electLeader(r);
        assertThat(r.tracker.progress(2).state()).isEqualTo(ProgressState.PROBE);
        r.step(builder(MessageType.APP_RESP, 2, 1, r.term).index(1).build());
        assertThat(r.tracker.progress(2).state()).isEqualTo(ProgressState.REPLICATE);
        assertThat(r.tracker.progress(2).match()).isEqualTo(1);
    }

    @Test
    void aProbingFollowerGetsOneAppendUntilItAnswers() {
        Raft r = RaftTests.plainRaft(1, 1, 2);
        electLeader(r);
        r.step(proposal("a"));
        r.step(proposal("b"));
        assertThat(appsTo(drain(r), 2)).isEmpty(); // the election's probe is still unanswered
        r.step(builder(MessageType.HEARTBEAT_RESP, 2, 1, r.term).build());
        assertThat(appsTo(drain(r), 2)).hasSize(1);
    }

    @Test
    void theInflightWindowBoundsUnacknowledgedAppends() {
        Raft r = RaftTests.newRaft(RaftTests.config(1).withMaxInflightMsgs(3), new MemoryStorage(), 1, 2);
        electLeader(r);
        commitNoop(r);
        for (int i = 0; i < 10; i++) {
            r.step(proposal("p" + i));
        }
        List<Message> apps = appsTo(drain(r), 2);
        assertThat(apps).hasSize(3);
        assertThat(r.tracker.progress(2).isPaused()).isTrue();
        // Acknowledging the first frees one slot.
        r.step(builder(MessageType.APP_RESP, 2, 1, r.term).index(apps.get(0).entries().get(0).index()).build());
        assertThat(appsTo(drain(r), 2)).isNotEmpty();
    }

    @Test
    void appendMessagesAreBoundedInBytesButCarryAtLeastOneEntry() {
        Raft r = RaftTests.newRaft(RaftTests.config(1).withMaxSizePerMsgBytes(100), new MemoryStorage(), 1, 2);
        electLeader(r);
        commitNoop(r);
        // Leave the follower unable to receive, then let it catch up in one probe.
        r.step(builder(MessageType.UNREACHABLE, 2, 1, 0).build());
        r.tracker.progress(2).setProbeSent(true);
        for (int i = 0; i < 10; i++) {
            r.step(proposal("0123456789012345678901234567890123456789")); // 40 + 24 bytes each
        }
        drain(r);
        r.step(builder(MessageType.HEARTBEAT_RESP, 2, 1, r.term).build());
        List<Message> apps = appsTo(drain(r), 2);
        assertThat(apps).singleElement().satisfies(m -> assertThat(m.entries()).hasSize(1));
        r.step(builder(MessageType.APP_RESP, 2, 1, r.term).index(apps.get(0).entries().get(0).index()).build());
        for (Message m : appsTo(drain(r), 2)) {
            long bytes = m.entries().stream().mapToLong(Entry::sizeBytes).sum();
            assertThat(m.entries()).isNotEmpty();
            assertThat(bytes <= 100 || m.entries().size() == 1).isTrue();
        }
    }

    @Test
    void fastBacktrackingSkipsAWholeDivergentTermInOneRoundTrip() {
        // Leader: 1..3 at term 1, then 4..20 at term 3. Follower: 1..3 at term 1, 4..20 at term 2.
        MemoryStorage leaderLog = new MemoryStorage();
        MemoryStorage followerLog = new MemoryStorage();
        for (long i = 1; i <= 20; i++) {
            leaderLog.append(List.of(entry(i <= 3 ? 1 : 3, i)));
            followerLog.append(List.of(entry(i <= 3 ? 1 : 2, i)));
        }
        Raft leader = RaftTests.newRaft(RaftTests.config(1).withPreVote(false), leaderLog, 1, 2);
        Raft follower = RaftTests.newRaft(RaftTests.config(2).withPreVote(false), followerLog, 1, 2);
        leader.term = 3;
        follower.term = 3;
        electLeader(leader);
        Replicator.sendAppend(leader, 2);
        leader.tracker.progress(2).setProbeSent(false);
        int rejections = 0;
        for (int round = 0; round < 20 && rejections < 20; round++) {
            leader.tick();
            for (Message m : drain(leader)) {
                if (m.to() == 2) {
                    follower.step(m);
                }
            }
            RaftTests.persist(follower, followerLog);
            for (Message m : drain(follower)) {
                if (m.type() == MessageType.APP_RESP && m.reject()) {
                    rejections++;
                }
                leader.step(m);
            }
        }
        assertThat(follower.log.termOrZero(21)).isEqualTo(4); // the leader's no-op arrived
        assertThat(follower.log.termOrZero(4)).isEqualTo(3);
        assertThat(rejections).isLessThanOrEqualTo(2);
    }

    @Test
    void overTheUncommittedSizeLimitProposalsAreDroppedUntilEntriesCommit() {
        RaftConfig base = RaftTests.config(1);
        RaftConfig limited = new RaftConfig(1, base.electionTicks(), base.heartbeatTicks(), 0,
                base.maxSizePerMsgBytes(), base.maxCommittedSizePerReadyBytes(), 100, base.maxInflightMsgs(),
                true, true, ReadOnlyOption.SAFE, false);
        Raft r = RaftTests.newRaft(limited, new MemoryStorage(), 1, 2, 3);
        electLeader(r);
        commitNoop(r);
        String payload = "x".repeat(40);
        r.step(proposal(payload));
        r.step(proposal(payload));
        assertThatThrownBy(() -> r.step(proposal(payload))).isInstanceOf(ProposalDroppedException.class);
        long last = r.log.lastIndex();
        RaftTests.persist(r);
        r.step(builder(MessageType.APP_RESP, 2, 1, r.term).index(last).build());
        assertThat(r.log.committed()).isEqualTo(last);
        r.reduceUncommittedSize(r.log.slice(2, last + 1, Long.MAX_VALUE)); // as advance() does on apply
        r.step(proposal(payload));
        assertThat(r.log.lastIndex()).isEqualTo(last + 1);
    }

    @Test
    void anIsolatedLeaderCannotCommit() {
        TestNetwork net = TestNetwork.of(3, c -> c.withCheckQuorum(false));
        long leader = net.awaitLeader();
        long committed = net.node(leader).status().hardState().commit();
        net.isolate(leader);
        net.propose(leader, "lost");
        net.tickAll(3);
        assertThat(net.node(leader).status().hardState().commit()).isEqualTo(committed);
        assertThat(net.node(leader).appliedData()).isEmpty();
    }

    @Test
    void aNewLeaderOverwritesTheUncommittedEntriesOfAnIsolatedOldLeader() {
        TestNetwork net = TestNetwork.of(3);
        long old = net.awaitLeader();
        net.isolate(old);
        net.propose(old, "lost");
        net.tickAll(3 * RaftTests.ELECTION);
        long fresh = net.leaders().stream().filter(id -> id != old).findFirst().orElseThrow();
        net.propose(fresh, "kept");
        net.heal();
        net.tickAll(3 * RaftTests.ELECTION);
        for (TestNode n : net.nodes.values()) {
            assertThat(n.appliedData()).containsExactly("kept");
        }
    }

    @Test
    void unreachableMovesAReplicatingFollowerBackToProbe() {
        Raft r = RaftTests.plainRaft(1, 1, 2);
        electLeader(r);
        commitNoop(r);
        assertThat(r.tracker.progress(2).state()).isEqualTo(ProgressState.REPLICATE);
        r.step(builder(MessageType.UNREACHABLE, 2, 1, 0).build());
        assertThat(r.tracker.progress(2).state()).isEqualTo(ProgressState.PROBE);
    }
}
