package io.keel.storage.mvcc;

import static io.keel.storage.mvcc.TestStores.b;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable consistent index is what the server may release the Raft log up to: it must never
 * run ahead of what a power loss leaves on disk. With NO_META_SYNC LMDB may lose the last commit
 * (its meta page is flushed by the next one), so the durable index trails by one commit until
 * {@link MvccStore#sync()}; with NO_SYNC nothing is durable before a sync.
 */
class DurableIndexTest {
    @TempDir
    Path dir;

    private static void commitAt(MvccStore store, long index) {
        try (MvccWriteTxn w = store.beginWrite()) {
            w.put(PutRequest.of(b("k" + index), b("v")));
            w.setConsistentIndex(index, 1);
            w.commit();
        }
    }

    @Test
    void withMetaSyncDeferredTheLastCommitIsNotDurableUntilTheNextOrASync() {
        MvccConfig config = TestStores.config(dir).withSyncMode(SyncMode.NO_META_SYNC);
        try (MvccStore store = MvccStore.open(config)) {
            assertThat(store.durableConsistentIndex()).isZero();
            commitAt(store, 5);
            assertThat(store.consistentIndex()).isEqualTo(5);
            assertThat(store.durableConsistentIndex()).isZero();
            commitAt(store, 9);
            assertThat(store.durableConsistentIndex()).isEqualTo(5);
            store.sync();
            assertThat(store.durableConsistentIndex()).isEqualTo(9);
        }
        try (MvccStore store = MvccStore.open(config)) {
            // Open flushes what it found, so the index it starts from is durable.
            assertThat(store.durableConsistentIndex()).isEqualTo(9);
        }
    }

    @Test
    void withoutSyncNothingIsDurableBeforeASync() {
        try (MvccStore store = TestStores.open(dir)) {
            commitAt(store, 3);
            commitAt(store, 4);
            assertThat(store.durableConsistentIndex()).isZero();
            store.sync();
            assertThat(store.durableConsistentIndex()).isEqualTo(4);
        }
    }

    @Test
    void currentEntryChangesAreOnlyTheUnfinishedEntrys() {
        try (MvccStore store = TestStores.open(dir);
             MvccWriteTxn w = store.beginWrite()) {
            w.put(PutRequest.of(b("a"), b("1")));
            assertThat(w.finishEntry()).isEqualTo(2);
            assertThat(w.currentEntryChanges()).isEmpty();
            w.put(PutRequest.of(b("b"), b("1")));
            w.put(PutRequest.of(b("c"), b("1")));
            assertThat(w.currentEntryChanges()).extracting(e -> TestStores.s(e.kv().key())).containsExactly("b", "c");
            assertThat(w.changes()).hasSize(3);
        }
    }
}
