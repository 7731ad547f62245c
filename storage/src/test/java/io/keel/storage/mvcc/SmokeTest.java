package io.keel.storage.mvcc;

import static io.keel.storage.mvcc.TestStores.b;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
    @Test
    void firstPutOfAFreshStoreIsRevisionTwoAsInEtcd(@TempDir Path dir) {
        try (MvccStore store = TestStores.open(dir)) {
            assertThat(store.revision()).isEqualTo(1);
            assertThat(TestStores.put(store, "foo", "bar")).isEqualTo(2);
            RangeResponse r = TestStores.get(store, "foo");
            assertThat(r.kvs()).containsExactly(new KeyValue(b("foo"), 2, 2, 1, b("bar"), 0));
            assertThat(r.revision()).isEqualTo(2);
        }
    }
}
