package io.keel.storage.mvcc;

import static io.keel.storage.mvcc.TestStores.b;
import static io.keel.storage.mvcc.TestStores.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deferred commit: published group writes leave one LMDB transaction open
 * ({@link MvccWriteTxn#commitLater()}), later group writes join it, and {@link MvccStore#commitPending()}
 * commits them together. Readers see every batch at once; LMDB (the consistent index, HashKV, a
 * reopened store) only after the commit; an aborted joined write leaves nothing behind; every
 * operation that needs the whole state in LMDB commits or waits first; a kill -9 loses only what
 * was not committed, consistently with the consistent index.
 */
class DeferredCommitTest {
    @TempDir
    Path dir;
    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        other.shutdownNow();
    }

    private <T> T elsewhere(java.util.concurrent.Callable<T> work) throws Exception {
        return other.submit(work).get(30, TimeUnit.SECONDS);
    }

    /** One group write of {@code key=value} recording {@code index}, published and left open. */
    private static long deferredPut(MvccStore store, String key, String value, long index) {
        try (MvccWriteTxn w = store.beginGroupWrite()) {
            w.put(PutRequest.of(b(key), b(value)));
            w.setConsistentIndex(index, 1);
            w.publish();
            return w.commitLater();
        }
    }

    @Test
    void groupWritesShareOneCommitAndAreReadBeforeIt() throws Exception {
        long first;
        long second;
        try (MvccStore store = TestStores.open(dir)) {
            long start = store.revision();
            first = deferredPut(store, "a", "1", 5);
            second = deferredPut(store, "b", "2", 6);
            assertThat(second).isEqualTo(first + 1).isEqualTo(start + 2);
            assertThat(store.hasPendingCommit()).isTrue();
            assertThat(store.pendingChanges()).isEqualTo(2);

            assertThat(elsewhere(store::revision)).isEqualTo(second);
            assertThat(elsewhere(() -> TestStores.keys(store.range(RangeRequest.builder(b("a")).rangeEnd(b("z")).build()))))
                    .containsExactly("a", "b");
            assertThat(elsewhere(() -> store.history(start + 1, second, 0)))
                    .extracting(e -> s(e.kv().key()) + "@" + e.revision().main())
                    .containsExactly("a@" + first, "b@" + second);
            assertThat(store.consistentIndex()).as("LMDB has not committed them yet").isZero();

            store.commitPending();
            assertThat(store.hasPendingCommit()).isFalse();
            assertThat(store.consistentIndex()).isEqualTo(6);
            assertThat(elsewhere(() -> TestStores.keys(store.range(RangeRequest.builder(b("a")).rangeEnd(b("z")).build()))))
                    .containsExactly("a", "b");
        }
        try (MvccStore store = TestStores.open(dir)) {
            assertThat(store.revision()).isEqualTo(second);
            assertThat(store.consistentIndex()).isEqualTo(6);
            assertThat(s(TestStores.get(store, "a").kvs().get(0).value())).isEqualTo("1");
        }
    }

    @Test
    void anAbortedJoinedWriteLeavesNoRecordInTheSharedTransaction() throws Exception {
        long kept;
        try (MvccStore store = TestStores.open(dir)) {
            TestStores.put(store, "old", "x");
            kept = deferredPut(store, "a", "1", 5);
            try (MvccWriteTxn w = store.beginGroupWrite()) {
                w.put(PutRequest.of(b("b"), b("2")));
                w.finishEntry();
                w.deleteRange(DeleteRangeRequest.of(b("old"), null));
                w.finishEntry();
                w.put(PutRequest.of(b("b2"), b("3")));
                // closed unpublished: aborted
            }
            assertThat(store.hasPendingCommit()).as("the earlier write stays pending").isTrue();
            assertThat(store.revision()).isEqualTo(kept);
            assertThat(elsewhere(() -> TestStores.keys(store.range(RangeRequest.builder(b("a")).rangeEnd(b("z")).build()))))
                    .containsExactly("a", "old");
            // The next write takes the aborted one's first revision.
            long c = deferredPut(store, "c", "4", 6);
            assertThat(c).isEqualTo(kept + 1);
            store.commitPending();
        }
        try (MvccStore store = TestStores.open(dir)) {
            // Had the abort left its records (b2 at kept + 3, the tombstone at kept + 2), the
            // reopened store would load them.
            assertThat(store.revision()).isEqualTo(kept + 1);
            assertThat(TestStores.keys(store.range(RangeRequest.builder(b("a")).rangeEnd(b("z")).build())))
                    .containsExactly("a", "c", "old");
            assertThat(store.history(1, store.revision(), 0)).extracting(e -> s(e.kv().key()))
                    .containsExactly("old", "a", "c");
        }
    }

    @Test
    void aJoinedWriteOnlyPutsAndDeletes() {
        try (MvccStore store = TestStores.open(dir)) {
            TestStores.put(store, "k", "v");
            deferredPut(store, "a", "1", 5);
            try (MvccWriteTxn w = store.beginGroupWrite()) {
                assertThatThrownBy(() -> w.putAux("members", b("m"), b("x"))).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> w.compact(2)).isInstanceOf(IllegalStateException.class);
            }
            assertThat(store.hasPendingCommit()).isTrue();
        }
    }

    @Test
    void aWriteThatCommitsForRealCommitsThePendingWritesFirst() {
        try (MvccStore store = TestStores.open(dir)) {
            deferredPut(store, "a", "1", 5);
            try (MvccWriteTxn w = store.beginWrite()) {
                assertThat(store.hasPendingCommit()).isFalse();
                assertThat(store.consistentIndex()).isEqualTo(5);
                w.putAux("members", b("m"), b("x"));
                w.setConsistentIndex(7, 1);
                w.commit();
            }
            assertThat(store.consistentIndex()).isEqualTo(7);
            // A joined write that commits for real commits the transaction it joined, with its index.
            deferredPut(store, "b", "2", 8);
            try (MvccWriteTxn w = store.beginGroupWrite()) {
                w.put(PutRequest.of(b("c"), b("3")));
                w.commit();
            }
            assertThat(store.hasPendingCommit()).isFalse();
            assertThat(store.consistentIndex()).isEqualTo(8);
        }
        try (MvccStore store = TestStores.open(dir)) {
            assertThat(TestStores.keys(store.range(RangeRequest.builder(b("a")).rangeEnd(b("z")).build())))
                    .containsExactly("a", "b", "c");
            assertThat(store.readAux("members")).hasSize(1);
        }
    }

    @Test
    void syncSnapshotAndHashKvSeeTheWholeState() throws Exception {
        try (MvccStore store = TestStores.open(dir)) {
            deferredPut(store, "a", "1", 5);
            store.sync();
            assertThat(store.hasPendingCommit()).isFalse();
            assertThat(store.durableConsistentIndex()).isEqualTo(5);

            long rev = deferredPut(store, "b", "2", 6);
            // Another thread waits for the owner's commit; the owner's own calls commit first.
            CompletableFuture<HashKvResult> hash = CompletableFuture.supplyAsync(() -> store.hashKv(0), other);
            ByteArrayOutputStream snap = new ByteArrayOutputStream();
            store.snapshot(snap);
            assertThat(store.hasPendingCommit()).isFalse();
            assertThat(hash.get(30, TimeUnit.SECONDS).hashRevision()).isEqualTo(rev);

            Path restored = dir.resolve("restored/db");
            MvccStore.restoreFile(new ByteArrayInputStream(snap.toByteArray()), restored);
            try (MvccStore copy = MvccStore.open(TestStores.config(dir).withDbPath(restored))) {
                assertThat(copy.consistentIndex()).isEqualTo(6);
                assertThat(TestStores.keys(copy.range(RangeRequest.builder(b("a")).rangeEnd(b("z")).build())))
                        .containsExactly("a", "b");
            }

            deferredPut(store, "c", "3", 7);
            CompletableFuture<Void> otherSnapshot = CompletableFuture.runAsync(() -> store.snapshot(new ByteArrayOutputStream()), other);
            store.commitPending();
            otherSnapshot.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void onlyTheThreadThatLeftTheTransactionOpenCommitsOrWritesIt() throws Exception {
        try (MvccStore store = TestStores.open(dir)) {
            deferredPut(store, "a", "1", 5);
            assertThat(elsewhere(() -> {
                try {
                    store.commitPending();
                    return "committed";
                } catch (IllegalStateException e) {
                    return "refused";
                }
            })).isEqualTo("refused");
            assertThat(elsewhere(() -> {
                try {
                    store.beginWrite().close();
                    return "began";
                } catch (IllegalStateException e) {
                    return "refused";
                }
            })).isEqualTo("refused");
            assertThat(store.hasPendingCommit()).isTrue();
            store.commitPending();
        }
    }

    @Test
    void killedWithWritesPendingTheStoreReopensAtItsLastCommit() throws Exception {
        Path db = dir.resolve("member/snap/db");
        long reported = runAndKill(db, 300);
        long reportedAgain = runAndKill(db, reported + 100);
        try (MvccStore store = MvccStore.open(MvccConfig.defaults(db, List.of("members")).withQuota(64L * 1024 * 1024))) {
            long applied = store.consistentIndex();
            assertThat(applied).isGreaterThanOrEqualTo(reportedAgain);
            CrashWriter.assertHoldsEntriesUpTo(store, applied);
        }
    }

    private static long runAndKill(Path db, long atLeast) throws Exception {
        return KilledWriter.runAndKill(DeferredCrashWriter.class, "committed ", atLeast, db.toString());
    }
}
