package io.keel.storage.mvcc;

import static io.keel.storage.mvcc.TestStores.b;
import static io.keel.storage.mvcc.TestStores.compact;
import static io.keel.storage.mvcc.TestStores.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistenceTest {
    @TempDir
    Path dir;

    @Test
    void restartRebuildsIndexAndKeepsConsistentIndexCompactionAndAux() {
        HashKvResult before;
        try (MvccStore store = TestStores.open(dir)) {
            put(store, "a", "1");
            put(store, "b", "1");
            TestStores.delete(store, "a", null);
            put(store, "a", "2");
            compact(store, 3);
            try (MvccWriteTxn w = store.beginWrite()) {
                w.put(PutRequest.of(b("c"), b("1")));
                w.putAux("members", b("m1"), b("peer-1"));
                w.setConsistentIndex(42, 7);
                w.commit();
            }
            before = store.hashKv(0);
        }
        try (MvccStore store = TestStores.open(dir)) {
            assertThat(store.revision()).isEqualTo(6);
            assertThat(store.consistentIndex()).isEqualTo(42);
            assertThat(store.term()).isEqualTo(7);
            assertThat(store.compactRevision()).isEqualTo(3);
            assertThat(TestStores.get(store, "a").kvs()).containsExactly(new KeyValue(b("a"), 5, 5, 1, b("2"), 0));
            assertThat(store.range(RangeRequest.builder(b("a")).revision(3).build()).kvs()).hasSize(1);
            assertThatThrownBy(() -> store.range(RangeRequest.builder(b("a")).revision(2).build()))
                    .isInstanceOf(CompactedException.class);
            assertThat(store.readAux("members")).singleElement()
                    .satisfies(e -> assertThat(e.getValue()).isEqualTo(b("peer-1")));
            assertThat(store.hashKv(0)).isEqualTo(before);
            assertThat(put(store, "b", "2")).isEqualTo(7);
            assertThat(TestStores.get(store, "b").kvs().get(0).version()).isEqualTo(2);
        }
    }

    @Test
    void compactionOfEveryKeySurvivesRestartWithTheRevision() {
        try (MvccStore store = TestStores.open(dir)) {
            put(store, "a", "1");
            TestStores.delete(store, "a", null);
            compact(store, 3);
        }
        try (MvccStore store = TestStores.open(dir)) {
            assertThat(store.revision()).isEqualTo(3);
            assertThat(put(store, "x", "1")).isEqualTo(4);
        }
    }

    @Test
    void interruptedCompactionResumesAtOpen() {
        try (MvccStore store = TestStores.open(dir)) {
            for (int i = 0; i < 20; i++) {
                put(store, "k", "v" + i);
            }
            // Record the schedule only, as a crash right after the scheduling commit would leave it.
            store.withBackend(backend -> {
                try (var txn = backend.writeTxn()) {
                    backend.putMeta(txn, Compactor.SCHEDULED, 15);
                    txn.commit();
                }
                return null;
            });
        }
        try (MvccStore store = TestStores.open(dir)) {
            assertThat(store.compactRevision()).isEqualTo(15);
            assertThatThrownBy(() -> store.range(RangeRequest.builder(b("k")).revision(14).build()))
                    .isInstanceOf(CompactedException.class);
            assertThat(store.history(15, 21, 0)).hasSize(7);
            long finished = store.withBackend(backend -> {
                try (var txn = backend.readTxn()) {
                    return backend.getMeta(txn, Compactor.FINISHED, -1);
                }
            });
            assertThat(finished).isEqualTo(15);
        }
    }

    @Test
    void defragmentShrinksTheFileAndKeepsTheData(@TempDir Path other) {
        try (MvccStore store = TestStores.open(dir)) {
            byte[] big = new byte[4096];
            for (int i = 0; i < 400; i++) {
                store.put(PutRequest.of(b("key-" + i), big), i + 1, 1);
            }
            TestStores.delete(store, "key-", "key.");
            compact(store, store.revision());
            HashKvResult hash = store.hashKv(0);
            DefragmentResult r = store.defragment();
            assertThat(r.dbSizeBytesAfter()).isLessThan(r.dbSizeBytesBefore() / 4);
            assertThat(store.dbSizeBytes()).isEqualTo(r.dbSizeBytesAfter());
            assertThat(r.dbSizeInUseBytesAfter()).isLessThanOrEqualTo(r.dbSizeBytesAfter());
            assertThat(store.hashKv(0)).isEqualTo(hash);
            assertThat(store.consistentIndex()).isEqualTo(400);
            assertThat(put(store, "after", "defrag")).isEqualTo(store.revision());
            assertThat(TestStores.get(store, "after").kvs()).hasSize(1);
        }
        try (MvccStore store = TestStores.open(dir)) {
            assertThat(store.consistentIndex()).isEqualTo(400);
            assertThat(TestStores.get(store, "after").kvs()).hasSize(1);
        }
    }

    @Test
    void snapshotRoundTripRestoresAnEqualStore(@TempDir Path other) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        HashKvResult hash;
        try (MvccStore store = TestStores.open(dir)) {
            for (int i = 0; i < 50; i++) {
                put(store, "k" + (i % 7), "v" + i);
            }
            TestStores.delete(store, "k3", null);
            compact(store, 30);
            try (MvccWriteTxn w = store.beginWrite()) {
                w.putAux("leases", b("l1"), b("ttl=5"));
                w.setConsistentIndex(99, 3);
                w.commit();
            }
            hash = store.hashKv(0);
            store.snapshot(stream);
        }
        byte[] bytes = stream.toByteArray();
        assertThat((bytes.length - 32) % 512).isZero();
        MvccConfig restoredConfig = TestStores.config(other);
        MvccStore.restoreFile(new ByteArrayInputStream(bytes), restoredConfig.dbPath());
        try (MvccStore restored = MvccStore.open(restoredConfig)) {
            assertThat(restored.hashKv(0)).isEqualTo(hash);
            assertThat(restored.consistentIndex()).isEqualTo(99);
            assertThat(restored.compactRevision()).isEqualTo(30);
            assertThat(restored.readAux("leases")).hasSize(1);
        }
    }

    @Test
    void restoreRejectsACorruptStreamAndKeepsTheStore() {
        try (MvccStore store = TestStores.open(dir)) {
            put(store, "a", "1");
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            store.snapshot(stream);
            byte[] bytes = stream.toByteArray();
            bytes[100] ^= 1;
            assertThatThrownBy(() -> store.restore(new ByteArrayInputStream(bytes)))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining("sha256 mismatch");
            assertThat(TestStores.get(store, "a").kvs()).hasSize(1);
        }
    }

    @Test
    void restoreInPlaceReplacesTheStoreForARaftSnapshot(@TempDir Path other) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        try (MvccStore leader = TestStores.open(other)) {
            put(leader, "from-leader", "1");
            put(leader, "from-leader", "2");
            leader.snapshot(stream);
        }
        try (MvccStore follower = TestStores.open(dir)) {
            put(follower, "stale", "1");
            follower.restore(new ByteArrayInputStream(stream.toByteArray()));
            assertThat(TestStores.get(follower, "stale").kvs()).isEmpty();
            assertThat(TestStores.get(follower, "from-leader").kvs().get(0).version()).isEqualTo(2);
            assertThat(follower.revision()).isEqualTo(3);
        }
    }
}
