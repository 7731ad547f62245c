package io.keel.storage.raftlog;

import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.HardState;
import io.keel.raft.MemoryStorage;
import io.keel.raft.Snapshot;
import io.keel.raft.SnapshotMetadata;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random histories of appends (with conflicts), hard states, snapshots, compactions,
 * installed snapshots, clock jumps (new cycle files) and restarts, applied to the durable storage
 * and to MemoryStorage side by side: every read must agree after every step. On restart the
 * reference is rebuilt the way etcd restarts (snapshot, hard state, then the entries after it).
 */
class DurableRaftStorageDifferentialTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void durableStorageAnswersLikeMemoryStorageAcrossRestarts(long seed) {
        Random rnd = new Random(seed);
        SetTimeProvider clock = TestLogs.clock();
        RaftLogConfig config = TestLogs.config(dir, clock).withEntryCache(8, 4096);
        DurableRaftStorage d = DurableRaftStorage.open(config);
        MemoryStorage m = new MemoryStorage();
        long term = 1;
        try {
            for (int step = 0; step < 300; step++) {
                int op = rnd.nextInt(100);
                HardState hs = m.hardState();
                if (op < 45) {
                    long lo = Math.max(m.firstIndex(), hs.commit() + 1);
                    long start = lo + rnd.nextInt((int) (m.lastIndex() + 2 - lo));
                    if (rnd.nextInt(4) == 0) {
                        term++;
                    }
                    List<Entry> ents = new ArrayList<>();
                    for (int i = 0, n = 1 + rnd.nextInt(6); i < n; i++) {
                        byte[] data = new byte[rnd.nextInt(300)];
                        rnd.nextBytes(data);
                        // Some conf changes, so the index's conf-change flags are checked too.
                        ents.add(data.length % 7 == 0 ? new Entry(term, start + i, io.keel.raft.EntryType.CONF_CHANGE, data)
                                : Entry.normal(term, start + i, data));
                    }
                    long commit = Math.max(hs.commit(), Math.min(start + ents.size() - 1, hs.commit() + rnd.nextInt(4)));
                    HardState next = new HardState(term, hs.vote(), commit);
                    d.save(next, ents, true);
                    m.append(ents);
                    m.setHardState(next);
                } else if (op < 60) {
                    long snapIndex = m.snapshot().metadata().index();
                    if (hs.commit() > snapIndex && hs.commit() >= m.firstIndex()) {
                        long at = snapIndex + 1 + rnd.nextInt((int) (hs.commit() - snapIndex));
                        at = Math.max(at, m.firstIndex());
                        byte[] data = ("state@" + at).getBytes();
                        Snapshot ds = d.createSnapshot(at, ConfState.ofVoters(1L, 2L, 3L), data);
                        Snapshot ms = m.createSnapshot(at, ConfState.ofVoters(1L, 2L, 3L), data);
                        assertThat(ds).isEqualTo(ms);
                        if (rnd.nextBoolean()) {
                            long c = m.firstIndex() + rnd.nextInt((int) (at - m.firstIndex() + 1));
                            d.compact(c);
                            m.compact(c);
                        }
                    }
                } else if (op < 65) {
                    long at = m.snapshot().metadata().index() + 1 + rnd.nextInt((int) (m.lastIndex() + 10 - m.snapshot().metadata().index()));
                    term += rnd.nextInt(2);
                    Snapshot snap = new Snapshot(new SnapshotMetadata(ConfState.ofVoters(1L, 2L), at, term), ("leader@" + at).getBytes());
                    if (at > hs.commit()) {
                        d.applySnapshot(snap);
                        m.applySnapshot(snap);
                        HardState next = new HardState(term, hs.vote(), at);
                        d.save(next, List.of(), true);
                        m.setHardState(next);
                    }
                } else if (op < 75) {
                    clock.advanceMillis((1 + rnd.nextInt(15)) * 60_000L);
                } else if (op < 80) {
                    d.close();
                    d = DurableRaftStorage.open(config);
                    m = restartReference(m);
                }
                assertSameAnswers(d, m, seed, step);
            }
        } finally {
            d.close();
        }
        assertThat(config.walDir().resolveSibling("wal.broken")).as("clean restarts never repair the log").doesNotExist();
    }

    /** etcd's restart: a fresh MemoryStorage given the snapshot, the hard state and the entries after the snapshot. */
    private static MemoryStorage restartReference(MemoryStorage old) {
        MemoryStorage fresh = new MemoryStorage();
        Snapshot snap = old.snapshot();
        if (!snap.isEmpty()) {
            fresh.applySnapshot(snap);
        }
        fresh.setHardState(old.hardState());
        long from = Math.max(old.firstIndex(), snap.metadata().index() + 1);
        if (from <= old.lastIndex()) {
            fresh.append(old.entries(from, old.lastIndex() + 1, Long.MAX_VALUE));
        }
        return fresh;
    }

    private static void assertSameAnswers(DurableRaftStorage d, MemoryStorage m, long seed, int step) {
        String at = "seed " + seed + " step " + step;
        assertThat(d.firstIndex()).as(at).isEqualTo(m.firstIndex());
        assertThat(d.lastIndex()).as(at).isEqualTo(m.lastIndex());
        assertThat(d.snapshot()).as(at).isEqualTo(m.snapshot());
        assertThat(d.initialState()).as(at).isEqualTo(m.initialState());
        for (long i = m.firstIndex() - 1; i <= m.lastIndex(); i++) {
            assertThat(d.term(i)).as(at + " term(" + i + ")").isEqualTo(m.term(i));
        }
        assertThat(d.entries(m.firstIndex(), m.lastIndex() + 1, Long.MAX_VALUE)).as(at)
                .isEqualTo(m.entries(m.firstIndex(), m.lastIndex() + 1, Long.MAX_VALUE));
        long[] confChanges = m.firstIndex() > m.lastIndex() ? new long[0]
                : m.entries(m.firstIndex(), m.lastIndex() + 1, Long.MAX_VALUE).stream()
                        .filter(e -> e.type() == io.keel.raft.EntryType.CONF_CHANGE).mapToLong(Entry::index).toArray();
        assertThat(d.confChangeIndexes(0, Long.MAX_VALUE)).as(at + " conf changes").containsExactly(confChanges);
        long mid = (m.firstIndex() + m.lastIndex()) / 2;
        assertThat(d.confChangeIndexes(mid, mid + 3)).as(at + " conf changes in a window")
                .containsExactly(java.util.Arrays.stream(confChanges).filter(i -> i >= mid && i <= mid + 3).toArray());
    }
}
