package io.keel.storage.mvcc;

import static io.keel.storage.mvcc.TestStores.b;
import static io.keel.storage.mvcc.TestStores.compact;
import static io.keel.storage.mvcc.TestStores.keys;
import static io.keel.storage.mvcc.TestStores.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionTest {
    @TempDir
    Path dir;
    MvccStore store;

    /** a@2, a@3, b@4, b deleted @5, a@6, c@7. */
    @BeforeEach
    void fill() {
        store = TestStores.open(dir);
        put(store, "a", "1");
        put(store, "a", "2");
        put(store, "b", "1");
        TestStores.delete(store, "b", null);
        put(store, "a", "3");
        put(store, "c", "1");
    }

    @AfterEach
    void close() {
        store.close();
    }

    RangeResponse all(long rev) {
        return store.range(RangeRequest.builder(b("a")).fromKey().revision(rev).build());
    }

    @Test
    void keepsTheLatestVersionAtTheCompactRevision() {
        compact(store, 4);
        assertThat(all(4).kvs()).extracting(kv -> TestStores.s(kv.value())).containsExactly("2", "1");
        assertThat(all(4).kvs().get(0).version()).isEqualTo(2);
        assertThat(store.compactRevision()).isEqualTo(4);
    }

    @Test
    void readsBelowTheCompactRevisionFail() {
        compact(store, 4);
        assertThatThrownBy(() -> all(3)).isInstanceOf(CompactedException.class)
                .hasMessage("mvcc: required revision has been compacted");
        assertThatThrownBy(() -> store.history(3, 7, 0)).isInstanceOf(CompactedException.class);
        assertThat(store.history(4, 7, 0)).isNotEmpty();
    }

    @Test
    void compactAtATombstoneDropsTheKeyAndLaterReadsStillWork() {
        compact(store, 5);
        assertThat(keys(all(5))).containsExactly("a");
        assertThat(keys(all(0))).containsExactly("a", "c");
        compact(store, 7);
        assertThat(keys(all(7))).containsExactly("a", "c");
        assertThat(store.index().size()).isEqualTo(2);
    }

    @Test
    void compactTwiceAtTheSameRevisionFails() {
        compact(store, 4);
        assertThatThrownBy(() -> compact(store, 4)).isInstanceOf(CompactedException.class);
        assertThatThrownBy(() -> compact(store, 3)).isInstanceOf(CompactedException.class);
        compact(store, 6);
        assertThat(store.compactRevision()).isEqualTo(6);
    }

    @Test
    void compactAboveTheCurrentRevisionFails() {
        assertThatThrownBy(() -> compact(store, 8)).isInstanceOf(FutureRevisionException.class)
                .hasMessage("mvcc: required revision is a future revision");
        assertThat(store.compactRevision()).isEqualTo(-1);
    }

    @Test
    void compactAtTheCurrentRevisionIsAllowed() {
        compact(store, 7);
        assertThat(keys(all(7))).containsExactly("a", "c");
        assertThat(put(store, "a", "4")).isEqualTo(8);
        assertThat(all(8).kvs().get(0).version()).isEqualTo(4);
    }

    @Test
    void physicalCompactionRemovesOldRevisionsFromTheBackend() {
        compact(store, 6);
        assertThat(store.history(6, 7, 0)).extracting(e -> e.revision().main()).containsExactly(6L, 7L);
        // revisions 2..5 are gone from the backend: a@2, a@3, b@4, b@5 (tombstone)
        int stored = store.withBackend(backend -> {
            try (var txn = backend.readTxn()) {
                int n = 0;
                try (var it = backend.revisionsFrom(txn, io.keel.storage.mvcc.backend.RevisionKeys.lowerBound(0))) {
                    for (var ignored : it) {
                        n++;
                    }
                }
                return n;
            }
        });
        assertThat(stored).isEqualTo(2);
    }

    @Test
    void putAfterCompactionContinuesVersionAndCreateRevision() {
        compact(store, 6);
        put(store, "a", "x");
        KeyValue a = TestStores.get(store, "a").kvs().get(0);
        assertThat(a.createRevision()).isEqualTo(2);
        assertThat(a.version()).isEqualTo(4);
    }
}
