package io.keel.storage.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HashKV equals a real etcd's for the same history. The expected values were read from etcd
 * 3.4.23 (Debian's etcd-server) with {@code etcdctl endpoint hashkv} after exactly these
 * commands: put foo bar; put foo baz; put k1 v1; del k1; put a 1; put b ""; compact 3 --physical.
 */
class EtcdHashGoldenTest {
    @TempDir
    Path dir;

    @Test
    void hashKvMatchesEtcdForTheSameHistory() {
        try (MvccStore store = TestStores.open(dir)) {
            assertThat(store.hashKv(0).unsignedHash()).isEqualTo(1084519789L);
            TestStores.put(store, "foo", "bar");
            TestStores.put(store, "foo", "baz");
            TestStores.put(store, "k1", "v1");
            TestStores.delete(store, "k1", null);
            TestStores.put(store, "a", "1");
            TestStores.put(store, "b", "");
            HashKvResult beforeCompaction = store.hashKv(0);
            assertThat(beforeCompaction.unsignedHash()).isEqualTo(2874220053L);
            assertThat(beforeCompaction.compactRevision()).isEqualTo(-1);
            assertThat(beforeCompaction.currentRevision()).isEqualTo(7);
            TestStores.compact(store, 3);
            HashKvResult afterCompaction = store.hashKv(0);
            assertThat(afterCompaction.unsignedHash()).isEqualTo(2283675045L);
            assertThat(afterCompaction.compactRevision()).isEqualTo(3);
        }
    }
}
