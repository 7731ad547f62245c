package io.keel.storage.mvcc;

import static io.keel.storage.mvcc.TestStores.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashKvTest {
    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    /** The same seeded history of puts, deletes and two compactions. */
    private static void history(MvccStore store, long seed, Consumer<MvccStore> extraAt150) {
        Random rnd = new Random(seed);
        for (int i = 0; i < 300; i++) {
            String key = "k" + rnd.nextInt(20);
            if (rnd.nextInt(5) == 0) {
                TestStores.delete(store, key, null);
            } else {
                TestStores.put(store, key, "v" + rnd.nextInt(1000));
            }
            if (i == 100) {
                TestStores.compact(store, store.revision() - 10);
            }
            if (i == 150) {
                extraAt150.accept(store);
            }
        }
        TestStores.compact(store, store.revision() - 5);
    }

    @Test
    void storesFedTheSameHistoryAgreeAtEveryRevision() {
        try (MvccStore a = TestStores.open(dirA); MvccStore b = TestStores.open(dirB)) {
            history(a, 7, s -> { });
            history(b, 7, MvccStore::defragment); // layout differs, content does not
            assertThat(a.revision()).isEqualTo(b.revision());
            for (long rev = a.compactRevision(); rev <= a.revision(); rev++) {
                assertThat(a.hashKv(rev)).isEqualTo(b.hashKv(rev));
            }
            assertThat(a.hashKv(0).hashRevision()).isEqualTo(a.revision());
            assertThat(a.hashKv(0).compactRevision()).isEqualTo(a.compactRevision());
        }
    }

    @Test
    void differentValuesGiveDifferentHashes() {
        try (MvccStore a = TestStores.open(dirA); MvccStore b = TestStores.open(dirB)) {
            TestStores.put(a, "k", "1");
            TestStores.put(b, "k", "2");
            assertThat(a.hashKv(0).hash()).isNotEqualTo(b.hashKv(0).hash());
        }
    }

    @Test
    void hashIsStableAcrossCompactionAtOrBelowTheHashRevision() {
        try (MvccStore a = TestStores.open(dirA)) {
            for (int i = 0; i < 20; i++) {
                TestStores.put(a, "k" + (i % 3), "v" + i);
            }
            TestStores.delete(a, "k1", null);
            HashKvResult before = a.hashKv(0);
            TestStores.compact(a, 10);
            HashKvResult after = a.hashKv(0);
            assertThat(after.hashRevision()).isEqualTo(before.hashRevision());
            assertThat(after.compactRevision()).isEqualTo(10);
            assertThat(before.compactRevision()).isEqualTo(-1);
        }
    }

    @Test
    void hashBelowCompactionOrAboveCurrentFails() {
        try (MvccStore a = TestStores.open(dirA)) {
            for (int i = 0; i < 5; i++) {
                a.put(PutRequest.of(b("k"), b("v" + i)), i + 1, 1);
            }
            TestStores.compact(a, 4);
            assertThatThrownBy(() -> a.hashKv(3)).isInstanceOf(CompactedException.class);
            assertThatThrownBy(() -> a.hashKv(7)).isInstanceOf(FutureRevisionException.class);
        }
    }
}
