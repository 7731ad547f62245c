package io.keel.storage.mvcc;

import static io.keel.storage.mvcc.TestStores.b;
import static io.keel.storage.mvcc.TestStores.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write transaction published before its LMDB commit ({@link MvccWriteTxn#publish()}): readers on
 * other threads see its changes at once, from the read point, and keep seeing them after the
 * commit; what only LMDB can answer (HashKV, the consistent index) stays at the last commit until
 * the commit is done.
 */
class PublishBeforeCommitTest {
    @TempDir
    Path dir;
    private final ExecutorService reader = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopReader() {
        reader.shutdownNow();
    }

    private <T> T onReader(java.util.concurrent.Callable<T> read) throws Exception {
        return reader.submit(read).get();
    }

    @Test
    void publishedChangesAreReadBeforeAndAfterTheCommit() throws Exception {
        try (MvccStore store = TestStores.open(dir)) {
            TestStores.put(store, "a", "old");
            TestStores.put(store, "gone", "x");
            long before = store.revision();
            MvccWriteTxn w = store.beginWrite();
            w.put(PutRequest.of(b("a"), b("new")));
            w.finishEntry();
            w.deleteRange(DeleteRangeRequest.of(b("gone"), null));
            w.finishEntry();
            w.put(PutRequest.of(b("b"), b("fresh")));
            w.setConsistentIndex(7, 1);
            long rev = w.publish();
            assertThat(rev).isEqualTo(before + 3);

            assertThat(onReader(store::revision)).isEqualTo(rev);
            RangeResponse all = onReader(() -> store.range(RangeRequest.builder(b("a")).rangeEnd(b("z")).build()));
            assertThat(all.kvs()).extracting(kv -> s(kv.key()) + "=" + s(kv.value())).containsExactly("a=new", "b=fresh");
            assertThat(all.revision()).isEqualTo(rev);
            RangeResponse past = onReader(() -> store.range(RangeRequest.builder(b("a")).revision(before + 1).build()));
            assertThat(s(past.kvs().get(0).value())).isEqualTo("new");
            List<Event> history = onReader(() -> store.history(before, rev, 0));
            assertThat(history).extracting(e -> e.type() + " " + s(e.kv().key()) + "@" + e.revision().main())
                    .containsExactly("PUT gone@" + before, "PUT a@" + (before + 1), "DELETE gone@" + (before + 2),
                            "PUT b@" + rev);
            assertThat(onReader(() -> store.history(before, rev, 2))).hasSize(2);
            TxnResponse txn = onReader(() -> store.txn(new TxnRequest(
                    List.of(Compare.value(b("a"), Compare.CompareResult.EQUAL, b("new"))),
                    List.of(RangeRequest.builder(b("b")).build()), List.of())));
            assertThat(txn.succeeded()).isTrue();
            // The same thread may read too (the apply thread tells the watchers between the two).
            assertThat(TestStores.get(store, "b").kvs()).hasSize(1);
            // LMDB does not hold it yet: the consistent index is the last commit's.
            assertThat(store.consistentIndex()).isZero();

            w.commit();
            w.close();
            assertThat(store.consistentIndex()).isEqualTo(7);
            assertThat(onReader(() -> store.history(before, rev, 0))).hasSize(4);
            assertThat(onReader(() -> TestStores.keys(store.range(RangeRequest.builder(b("a")).rangeEnd(b("z")).build()))))
                    .containsExactly("a", "b");
        }
    }

    @Test
    void hashKvWaitsForAPublishedRevisionAndHashesItOnceInLmdb() throws Exception {
        try (MvccStore store = TestStores.open(dir)) {
            TestStores.put(store, "a", "1");
            HashKvResult before = store.hashKv(0);
            MvccWriteTxn w = store.beginWrite();
            w.put(PutRequest.of(b("a"), b("2")));
            long rev = w.publish();

            // Both the current revision (0) and the published one name a revision LMDB does not
            // hold yet: both wait for the commit, then hash it, and report it as the current one.
            ExecutorService second = Executors.newSingleThreadExecutor();
            try {
                CompletableFuture<HashKvResult> current = CompletableFuture.supplyAsync(() -> store.hashKv(0), reader);
                CompletableFuture<HashKvResult> atPublished = CompletableFuture.supplyAsync(() -> store.hashKv(rev), second);

                w.commit();
                HashKvResult now = current.get();
                HashKvResult at = atPublished.get();
                assertThat(now.hashRevision()).isEqualTo(rev);
                assertThat(now.currentRevision()).isEqualTo(rev);
                assertThat(at.hashRevision()).isEqualTo(rev);
                assertThat(now.hash()).isEqualTo(at.hash()).isEqualTo(store.hashKv(0).hash()).isNotEqualTo(before.hash());
                // A past revision, already in LMDB, is hashed as it was.
                assertThat(store.hashKv(before.hashRevision()).hash()).isEqualTo(before.hash());
            } finally {
                second.shutdownNow();
            }
        }
    }

    @Test
    void aPublishedTransactionTakesNoMoreWritesAndClosingCommitsIt() {
        try (MvccStore store = TestStores.open(dir)) {
            MvccWriteTxn w = store.beginWrite();
            w.put(PutRequest.of(b("k"), b("v")));
            w.setConsistentIndex(3, 1);
            w.publish();
            assertThatThrownBy(() -> w.put(PutRequest.of(b("k2"), b("v")))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(w::publish).isInstanceOf(IllegalStateException.class);
            w.close();
            assertThat(store.consistentIndex()).isEqualTo(3);
        }
        try (MvccStore store = TestStores.open(dir)) {
            assertThat(TestStores.get(store, "k").kvs()).hasSize(1);
        }
    }

    @Test
    void onlyKeyValueChangesCanBePublished() {
        try (MvccStore store = TestStores.open(dir)) {
            TestStores.put(store, "k", "v");
            try (MvccWriteTxn w = store.beginWrite()) {
                w.putAux("members", b("m"), b("x"));
                assertThatThrownBy(w::publish).isInstanceOf(IllegalStateException.class);
            }
            try (MvccWriteTxn w = store.beginWrite()) {
                w.compact(store.revision());
                assertThatThrownBy(w::publish).isInstanceOf(IllegalStateException.class);
            }
            assertThat(store.readAux("members")).isEmpty();
            assertThat(store.compactRevision()).isEqualTo(-1);
        }
    }
}
