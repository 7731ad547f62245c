package io.keel.storage.mvcc;

import static io.keel.storage.mvcc.TestStores.keys;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.storage.mvcc.RangeRequest.SortOrder;
import io.keel.storage.mvcc.RangeRequest.SortTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's sort-with-limit quirk, with expected results read from etcd 3.4.23 after
 * {@code put e; put d; put c; put b; put a}: {@code get "" --from-key --sort-by=CREATE --limit 2}
 * (sort order NONE) returned [c, b], more=true, count=5; adding {@code --order=ASCEND} returned
 * [e, d], more=true, count=5.
 */
class EtcdRangeGoldenTest {
    @TempDir
    Path dir;

    @Test
    void nonKeyTargetWithoutOrderSortsOnlyTheFirstLimitPlusOneKeys() {
        try (MvccStore store = TestStores.open(dir)) {
            for (String k : new String[] {"e", "d", "c", "b", "a"}) {
                TestStores.put(store, k, "v" + k);
            }
            RangeRequest.Builder all = RangeRequest.builder(new byte[] {0}).fromKey().limit(2);
            RangeResponse none = store.range(all.sort(SortTarget.CREATE, SortOrder.NONE).build());
            assertThat(keys(none)).containsExactly("c", "b");
            assertThat(none.more()).isTrue();
            assertThat(none.count()).isEqualTo(5);
            RangeResponse ascend = store.range(all.sort(SortTarget.CREATE, SortOrder.ASCEND).build());
            assertThat(keys(ascend)).containsExactly("e", "d");
            assertThat(ascend.more()).isTrue();
            assertThat(ascend.count()).isEqualTo(5);
        }
    }
}
