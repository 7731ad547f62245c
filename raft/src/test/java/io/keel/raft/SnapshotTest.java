package io.keel.raft;

import io.keel.raft.tracker.ProgressState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.keel.raft.RaftTests.builder;
import static io.keel.raft.RaftTests.drain;
import static io.keel.raft.RaftTests.electLeader;
import static org.assertj.core.api.Assertions.assertThat;

/** Snapshots: sending one to a follower behind the compacted log, and installing it. */
class SnapshotTest {

    /** A leader whose storage holds a snapshot at 11 (term 1) and entries up to 11 compacted. */
    private static Raft leaderWithCompactedLog(MemoryStorage storage) {
        for (long i = 1; i <= 11; i++) {
            storage.append(List.of(RaftTests.entry(1, i)));
        }
        storage.createSnapshot(11, ConfState.ofVoters(1L, 2L), new byte[] {7});
        storage.compact(11);
        storage.setHardState(new HardState(1, 0, 11));
        Raft r = RaftTests.newRaft(RaftTests.config(1), storage);
        electLeader(r);
        return r;
    }

    @Test
    void aFollowerThatNeedsCompactedEntriesIsSentTheSnapshot() {
        Raft r = leaderWithCompactedLog(new MemoryStorage());
        // The follower rejects the probe at 11 and hints it has nothing: index 1 is long compacted.
        r.step(builder(MessageType.APP_RESP, 2, 1, r.term).index(11).reject(true).rejectHint(0).build());
        List<Message> msgs = drain(r);
        assertThat(msgs).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MessageType.SNAP);
            assertThat(m.snapshot().metadata().index()).isEqualTo(11);
        });
        assertThat(r.tracker.progress(2).state()).isEqualTo(ProgressState.SNAPSHOT);
        assertThat(r.tracker.progress(2).pendingSnapshot()).isEqualTo(11);
        assertThat(r.tracker.progress(2).isPaused()).isTrue();
    }

    @Test
    void aFailedSnapshotReturnsTheFollowerToProbeFromItsMatch() {
        Raft r = leaderWithCompactedLog(new MemoryStorage());
        r.step(builder(MessageType.APP_RESP, 2, 1, r.term).index(11).reject(true).rejectHint(0).build());
        r.step(builder(MessageType.SNAP_STATUS, 2, 1, 0).reject(true).build());
        assertThat(r.tracker.progress(2).state()).isEqualTo(ProgressState.PROBE);
        assertThat(r.tracker.progress(2).next()).isEqualTo(1);
        assertThat(r.tracker.progress(2).probeSent()).isTrue(); // wait for a heartbeat to retry
    }

    @Test
    void aFinishedSnapshotProbesFromTheSnapshotIndexAndTheAckResumesReplication() {
        Raft r = leaderWithCompactedLog(new MemoryStorage());
        r.step(builder(MessageType.APP_RESP, 2, 1, r.term).index(11).reject(true).rejectHint(0).build());
        r.step(builder(MessageType.SNAP_STATUS, 2, 1, 0).build());
        assertThat(r.tracker.progress(2).state()).isEqualTo(ProgressState.PROBE);
        assertThat(r.tracker.progress(2).next()).isEqualTo(12);
        r.step(builder(MessageType.APP_RESP, 2, 1, r.term).index(11).build());
        assertThat(r.tracker.progress(2).state()).isEqualTo(ProgressState.REPLICATE);
    }

    @Test
    void aFollowerRestoresFromASnapshotAndHandsItOutInReady() {
        Snapshot snap = new Snapshot(new SnapshotMetadata(ConfState.ofVoters(1L, 2L, 3L), 11, 11), new byte[] {9});
        MemoryStorage storage = new MemoryStorage();
        RawNode node = new RawNode(RaftTests.config(2), storage, new java.util.SplittableRandom(2));
        node.step(Message.builder(MessageType.SNAP).from(1).to(2).term(11).snapshot(snap).build());
        Ready rd = node.ready();
        assertThat(rd.snapshot()).isEqualTo(snap);
        assertThat(rd.mustSync()).isTrue();
        assertThat(rd.hardState().commit()).isEqualTo(11);
        assertThat(rd.messages()).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MessageType.APP_RESP);
            assertThat(m.index()).isEqualTo(11);
        });
        storage.applySnapshot(rd.snapshot());
        storage.setHardState(rd.hardState());
        node.advance(rd);
        assertThat(node.status().confState()).isEqualTo(new ConfState(Set.of(1L, 2L, 3L), Set.of()));
        assertThat(node.status().applied()).isEqualTo(11);
        assertThat(node.hasReady()).isFalse();
    }

    @Test
    void aSnapshotWithoutThisMemberInItsConfigurationIsIgnored() {
        Snapshot snap = new Snapshot(new SnapshotMetadata(ConfState.ofVoters(1L, 3L), 11, 11), null);
        Raft r = RaftTests.plainRaft(2, 1, 2, 3);
        r.becomeFollower(11, 1);
        assertThat(r.restore(snap)).isFalse();
        assertThat(r.log.committed()).isZero();
    }

    @Test
    void aMemberBehindTheCompactedLogCatchesUpThroughASnapshotInTheNetwork() {
        TestNetwork net = TestNetwork.of(3);
        long leader = net.awaitLeader();
        long lagging = leader % 3 + 1;
        net.stop(lagging);
        for (int i = 0; i < 5; i++) {
            net.propose(leader, "v" + i);
        }
        net.node(leader).snapshotAndCompact();
        net.start(lagging);
        net.tickAll(3);
        TestNode n = net.node(lagging);
        assertThat(n.lastRestoredSnapshot.isEmpty()).isFalse();
        assertThat(n.storage.lastIndex()).isEqualTo(net.node(leader).storage.lastIndex());
        assertThat(net.node(leader).status().progress().get(lagging).state()).isEqualTo("REPLICATE");
        net.node(leader).node.reportSnapshot(lagging, SnapshotStatus.FINISH); // late report: harmless
        net.propose(leader, "after");
        assertThat(n.appliedData()).endsWith("after");
    }

    @Test
    void raftLogHonoursStorageCompaction() {
        MemoryStorage storage = new MemoryStorage();
        for (long i = 1; i <= 5; i++) {
            storage.append(List.of(RaftTests.entry(1, i)));
        }
        storage.createSnapshot(3, ConfState.ofVoters(1L), null);
        storage.compact(3);
        io.keel.raft.log.RaftLog log = new io.keel.raft.log.RaftLog(storage, Long.MAX_VALUE);
        assertThat(log.firstIndex()).isEqualTo(4);
        assertThat(log.term(3)).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> log.term(2)).isInstanceOf(CompactedException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> log.slice(3, 5, Long.MAX_VALUE))
                .isInstanceOf(CompactedException.class);
        assertThat(log.committed()).isEqualTo(3);
    }
}
