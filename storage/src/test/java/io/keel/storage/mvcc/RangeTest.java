package io.keel.storage.mvcc;

import static io.keel.storage.mvcc.TestStores.b;
import static io.keel.storage.mvcc.TestStores.keys;
import static io.keel.storage.mvcc.TestStores.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.storage.mvcc.RangeRequest.SortOrder;
import io.keel.storage.mvcc.RangeRequest.SortTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RangeTest {
    @TempDir
    Path dir;
    MvccStore store;

    /** a@2 (create 2, v1), b@3, c@4, a@5 (v2), d@6 with value "0", lease 7 on c. */
    @BeforeEach
    void fill() {
        store = TestStores.open(dir);
        put(store, "a", "3");
        put(store, "b", "2");
        put(store, "c", "1", 7);
        put(store, "a", "4");
        put(store, "d", "0");
    }

    @AfterEach
    void close() {
        store.close();
    }

    RangeResponse range(RangeRequest.Builder r) {
        return store.range(r.build());
    }

    @Test
    void emptyRangeEndReadsOneKey() {
        RangeResponse r = range(RangeRequest.builder(b("a")));
        assertThat(r.kvs()).containsExactly(new KeyValue(b("a"), 2, 5, 2, b("4"), 0));
        assertThat(r.count()).isEqualTo(1);
        assertThat(r.more()).isFalse();
        assertThat(r.revision()).isEqualTo(6);
    }

    @Test
    void missingKeyReturnsNothingWithCountZero() {
        RangeResponse r = range(RangeRequest.builder(b("zz")));
        assertThat(r.kvs()).isEmpty();
        assertThat(r.count()).isZero();
    }

    @Test
    void rangeEndIsExclusive() {
        assertThat(keys(range(RangeRequest.builder(b("b")).rangeEnd(b("d"))))).containsExactly("b", "c");
    }

    @Test
    void rangeEndNotAboveKeyIsEmpty() {
        assertThat(range(RangeRequest.builder(b("c")).rangeEnd(b("b"))).kvs()).isEmpty();
    }

    @Test
    void prefixRange() {
        put(store, "ab", "x");
        put(store, "b0", "x");
        assertThat(keys(range(RangeRequest.builder(b("a")).prefix()))).containsExactly("a", "ab");
    }

    @Test
    void zeroRangeEndReadsFromKeyToTheEnd() {
        assertThat(keys(range(RangeRequest.builder(b("b")).fromKey()))).containsExactly("b", "c", "d");
    }

    @Test
    void zeroKeyWithZeroRangeEndReadsAllKeys() {
        assertThat(keys(range(RangeRequest.builder(new byte[] {0}).fromKey()))).containsExactly("a", "b", "c", "d");
    }

    @Test
    void limitSetsMoreAndCountIsTheTotal() {
        RangeResponse r = range(RangeRequest.builder(b("a")).fromKey().limit(2));
        assertThat(keys(r)).containsExactly("a", "b");
        assertThat(r.more()).isTrue();
        assertThat(r.count()).isEqualTo(4);
        RangeResponse exact = range(RangeRequest.builder(b("a")).fromKey().limit(4));
        assertThat(exact.more()).isFalse();
    }

    @Test
    void pastRevisionSeesOldValuesAndReportsCurrentRevision() {
        RangeResponse r = range(RangeRequest.builder(b("a")).fromKey().revision(3));
        assertThat(r.kvs()).containsExactly(new KeyValue(b("a"), 2, 2, 1, b("3"), 0),
                new KeyValue(b("b"), 3, 3, 1, b("2"), 0));
        assertThat(r.revision()).isEqualTo(6);
    }

    @Test
    void futureRevisionFailsWithEtcdMessage() {
        assertThatThrownBy(() -> range(RangeRequest.builder(b("a")).revision(7)))
                .isInstanceOf(FutureRevisionException.class)
                .hasMessage("mvcc: required revision is a future revision");
    }

    @Test
    void sortByEachTargetAscendingAndDescending() {
        RangeRequest.Builder all = RangeRequest.builder(b("a")).fromKey();
        assertThat(keys(range(all.sort(SortTarget.KEY, SortOrder.DESCEND)))).containsExactly("d", "c", "b", "a");
        assertThat(keys(range(all.sort(SortTarget.VALUE, SortOrder.ASCEND)))).containsExactly("d", "c", "b", "a");
        assertThat(keys(range(all.sort(SortTarget.VALUE, SortOrder.DESCEND)))).containsExactly("a", "b", "c", "d");
        assertThat(keys(range(all.sort(SortTarget.CREATE, SortOrder.DESCEND)))).containsExactly("d", "c", "b", "a");
        assertThat(keys(range(all.sort(SortTarget.MOD, SortOrder.ASCEND)))).containsExactly("b", "c", "a", "d");
        assertThat(keys(range(all.sort(SortTarget.MOD, SortOrder.DESCEND)))).containsExactly("d", "a", "c", "b");
        assertThat(keys(range(all.sort(SortTarget.VERSION, SortOrder.DESCEND))).get(0)).isEqualTo("a");
    }

    @Test
    void nonKeyTargetWithoutOrderSortsAscending() {
        RangeResponse r = range(RangeRequest.builder(b("a")).fromKey().sort(SortTarget.MOD, SortOrder.NONE));
        assertThat(keys(r)).containsExactly("b", "c", "a", "d");
    }

    @Test
    void sortAppliesBeforeLimit() {
        RangeResponse r = range(RangeRequest.builder(b("a")).fromKey().sort(SortTarget.VALUE, SortOrder.ASCEND)
                .limit(1));
        assertThat(keys(r)).containsExactly("d");
        assertThat(r.more()).isTrue();
        assertThat(r.count()).isEqualTo(4);
    }

    @Test
    void keysOnlyDropsValues() {
        RangeResponse r = range(RangeRequest.builder(b("c")).keysOnly(true));
        assertThat(r.kvs()).containsExactly(new KeyValue(b("c"), 4, 4, 1, new byte[0], 7));
    }

    @Test
    void countOnlyReturnsNoKeysAndTheFullCount() {
        RangeResponse r = range(RangeRequest.builder(b("a")).fromKey().countOnly(true).limit(1)
                .minModRevision(6));
        assertThat(r.kvs()).isEmpty();
        assertThat(r.more()).isFalse();
        assertThat(r.count()).isEqualTo(4);
    }

    @Test
    void modRevisionFiltersPruneButCountStaysUnfiltered() {
        RangeResponse r = range(RangeRequest.builder(b("a")).fromKey().minModRevision(4).maxModRevision(5));
        assertThat(keys(r)).containsExactly("a", "c");
        assertThat(r.count()).isEqualTo(4);
    }

    @Test
    void createRevisionFiltersPrune() {
        assertThat(keys(range(RangeRequest.builder(b("a")).fromKey().minCreateRevision(3)))).containsExactly("b", "c", "d");
        assertThat(keys(range(RangeRequest.builder(b("a")).fromKey().maxCreateRevision(3)))).containsExactly("a", "b");
    }

    @Test
    void moreIsJudgedAfterFilters() {
        RangeResponse r = range(RangeRequest.builder(b("a")).fromKey().minCreateRevision(3).limit(2));
        assertThat(keys(r)).containsExactly("b", "c");
        assertThat(r.more()).isTrue();
        RangeResponse none = range(RangeRequest.builder(b("a")).fromKey().minCreateRevision(5).limit(1));
        assertThat(keys(none)).containsExactly("d");
        assertThat(none.more()).isFalse();
        assertThat(none.count()).isEqualTo(4);
    }

    @Test
    void deletedKeysDisappearAtLaterRevisionsOnly() {
        TestStores.delete(store, "b", null);
        assertThat(keys(range(RangeRequest.builder(b("a")).fromKey()))).containsExactly("a", "c", "d");
        assertThat(keys(range(RangeRequest.builder(b("a")).fromKey().revision(6)))).containsExactly("a", "b", "c", "d");
    }

    @Test
    void recreatedKeyStartsANewGeneration() {
        TestStores.delete(store, "a", null);
        put(store, "a", "new");
        assertThat(TestStores.get(store, "a").kvs()).containsExactly(new KeyValue(b("a"), 8, 8, 1, b("new"), 0));
    }

    @Test
    void readOnlyTxnRunsOnReaders() {
        TxnResponse t = store.txn(new TxnRequest(java.util.List.of(), java.util.List.of(RangeRequest.builder(b("a")).build()),
                java.util.List.of()));
        assertThat(t.succeeded()).isTrue();
        assertThat(t.revision()).isEqualTo(6);
        assertThat(((RangeResponse) t.responses().get(0)).kvs()).hasSize(1);
    }
}
