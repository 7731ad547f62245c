package io.keel.storage.mvcc;

import static io.keel.storage.mvcc.TestStores.b;
import static io.keel.storage.mvcc.TestStores.keys;
import static io.keel.storage.mvcc.TestStores.put;
import static io.keel.storage.mvcc.TestStores.txn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.storage.mvcc.Compare.CompareResult;
import io.keel.storage.mvcc.Compare.CompareTarget;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TxnTest {
    @TempDir
    Path dir;
    MvccStore store;

    @BeforeEach
    void fill() {
        store = TestStores.open(dir);
        put(store, "k1", "a"); // 2
        put(store, "k2", "b"); // 3
        put(store, "k3", "c", 9); // 4
    }

    @AfterEach
    void close() {
        store.close();
    }

    static Compare range(CompareTarget target, CompareResult result, String key, String end, long n) {
        return new Compare(result, target, b(key), end == null ? null : b(end), n, null);
    }

    static TxnRequest ifThen(List<Compare> cmp, List<RequestOp> success, List<RequestOp> failure) {
        return new TxnRequest(cmp, success, failure);
    }

    @Test
    void rangeCompareHoldsOnlyIfEveryKeyMatches() {
        Compare allVersionOne = range(CompareTarget.VERSION, CompareResult.EQUAL, "k", "l", 1);
        assertThat(txn(store, ifThen(List.of(allVersionOne), List.of(), List.of())).succeeded()).isTrue();
        put(store, "k2", "b2"); // 5, k2 now version 2
        assertThat(txn(store, ifThen(List.of(allVersionOne), List.of(), List.of())).succeeded()).isFalse();
        Compare allModBelow6 = range(CompareTarget.MOD, CompareResult.LESS, "k", "l", 6);
        assertThat(txn(store, ifThen(List.of(allModBelow6), List.of(), List.of())).succeeded()).isTrue();
    }

    @Test
    void compareOnMissingKeysUsesZeroButValueComparesFail() {
        Compare createZero = range(CompareTarget.CREATE, CompareResult.EQUAL, "x", "y", 0);
        assertThat(txn(store, ifThen(List.of(createZero), List.of(), List.of())).succeeded()).isTrue();
        Compare valueEmpty = Compare.value(b("missing"), CompareResult.EQUAL, new byte[0]);
        assertThat(txn(store, ifThen(List.of(valueEmpty), List.of(), List.of())).succeeded()).isFalse();
        Compare valueNotEqual = Compare.value(b("missing"), CompareResult.NOT_EQUAL, b("x"));
        assertThat(txn(store, ifThen(List.of(valueNotEqual), List.of(), List.of())).succeeded()).isFalse();
    }

    @Test
    void everyTargetAndResult() {
        assertThat(holds(Compare.value(b("k1"), CompareResult.EQUAL, b("a")))).isTrue();
        assertThat(holds(Compare.value(b("k1"), CompareResult.GREATER, b("A")))).isTrue();
        assertThat(holds(Compare.value(b("k1"), CompareResult.LESS, b("b")))).isTrue();
        assertThat(holds(Compare.value(b("k1"), CompareResult.NOT_EQUAL, b("a")))).isFalse();
        assertThat(holds(Compare.number(b("k2"), CompareTarget.CREATE, CompareResult.EQUAL, 3))).isTrue();
        assertThat(holds(Compare.number(b("k2"), CompareTarget.MOD, CompareResult.GREATER, 3))).isFalse();
        assertThat(holds(Compare.number(b("k3"), CompareTarget.LEASE, CompareResult.EQUAL, 9))).isTrue();
        assertThat(holds(Compare.number(b("k3"), CompareTarget.LEASE, CompareResult.NOT_EQUAL, 0))).isTrue();
        assertThat(holds(Compare.number(b("k3"), CompareTarget.VERSION, CompareResult.LESS, 1))).isFalse();
    }

    private boolean holds(Compare c) {
        return store.txn(ifThen(List.of(c), List.of(), List.of())).succeeded();
    }

    @Test
    void allOperationsShareOneRevisionWithIncreasingSubRevisions() {
        TxnResponse t = txn(store, ifThen(List.of(),
                List.of(PutRequest.of(b("k4"), b("d")), DeleteRangeRequest.of(b("k1"), null),
                        new PutRequest(b("k2"), b("b2"), 0, true, false, false),
                        RangeRequest.builder(b("k")).prefix().build()),
                List.of()));
        assertThat(t.revision()).isEqualTo(5);
        assertThat(store.revision()).isEqualTo(5);
        assertThat(((PutResponse) t.responses().get(0)).revision()).isEqualTo(5);
        assertThat(((DeleteRangeResponse) t.responses().get(1)).deleted()).isEqualTo(1);
        assertThat(((PutResponse) t.responses().get(2)).prevKv().value()).isEqualTo(b("b"));
        RangeResponse seen = (RangeResponse) t.responses().get(3);
        assertThat(keys(seen)).containsExactly("k2", "k3", "k4");
        assertThat(seen.revision()).isEqualTo(5);
        List<Event> history = store.history(5, 5, 0);
        assertThat(history).extracting(e -> e.revision().sub()).containsExactly(0L, 1L, 2L);
        assertThat(history).extracting(Event::type).containsExactly(Event.Type.PUT, Event.Type.DELETE, Event.Type.PUT);
    }

    @Test
    void failureBranchRunsWhenACompareFails() {
        TxnResponse t = txn(store, ifThen(List.of(Compare.value(b("k1"), CompareResult.EQUAL, b("zzz"))),
                List.of(PutRequest.of(b("s"), b("1"))), List.of(PutRequest.of(b("f"), b("1")))));
        assertThat(t.succeeded()).isFalse();
        assertThat(TestStores.get(store, "f").kvs()).hasSize(1);
        assertThat(TestStores.get(store, "s").kvs()).isEmpty();
    }

    @Test
    void readOnlyWriteTxnDoesNotBumpTheRevision() {
        TxnResponse t = txn(store, ifThen(List.of(), List.of(RangeRequest.builder(b("k1")).build()), List.of()));
        assertThat(t.revision()).isEqualTo(4);
        assertThat(store.revision()).isEqualTo(4);
    }

    @Test
    void nestedTxnComparesSeeTheStateBeforeTheOuterTxn() {
        TxnRequest inner = ifThen(List.of(Compare.number(b("new"), CompareTarget.VERSION, CompareResult.EQUAL, 0)),
                List.of(PutRequest.of(b("inner-saw-no-key"), b("1"))), List.of(PutRequest.of(b("inner-saw-key"), b("1"))));
        TxnResponse t = txn(store, ifThen(List.of(), List.of(PutRequest.of(b("new"), b("x")), inner), List.of()));
        assertThat(t.succeeded()).isTrue();
        TxnResponse nested = (TxnResponse) t.responses().get(1);
        assertThat(nested.succeeded()).isTrue();
        assertThat(nested.revision()).isZero();
        assertThat(nested.responses()).hasSize(1);
        assertThat(TestStores.get(store, "inner-saw-no-key").kvs()).hasSize(1);
        assertThat(TestStores.get(store, "inner-saw-key").kvs()).isEmpty();
        assertThat(store.revision()).isEqualTo(5);
    }

    @Test
    void nestedTxnsInFailureBranchesTwoDeep() {
        TxnRequest deepest = ifThen(List.of(), List.of(PutRequest.of(b("deep"), b("1"))), List.of());
        TxnRequest middle = ifThen(List.of(Compare.value(b("k1"), CompareResult.EQUAL, b("no"))), List.of(),
                List.of(deepest, RangeRequest.builder(b("k1")).build()));
        TxnResponse t = txn(store, ifThen(List.of(Compare.value(b("k2"), CompareResult.EQUAL, b("no"))), List.of(),
                List.of(middle)));
        assertThat(t.succeeded()).isFalse();
        TxnResponse mid = (TxnResponse) t.responses().get(0);
        assertThat(mid.succeeded()).isFalse();
        assertThat(mid.responses().get(0)).isInstanceOf(TxnResponse.class);
        assertThat(((RangeResponse) mid.responses().get(1)).kvs()).hasSize(1);
        assertThat(TestStores.get(store, "deep").kvs()).hasSize(1);
    }

    @Test
    void ignoreValueAndLeaseKeepThePreviousOnes() {
        txn(store, ifThen(List.of(), List.of(new PutRequest(b("k3"), null, 0, false, true, true)), List.of()));
        assertThat(TestStores.get(store, "k3").kvs()).containsExactly(new KeyValue(b("k3"), 4, 5, 2, b("c"), 9));
    }

    @Test
    void ignoreValueOnMissingKeyFailsTheWholeTxnWithoutWriting() {
        TxnRequest rt = ifThen(List.of(), List.of(PutRequest.of(b("other"), b("1")),
                new PutRequest(b("missing"), null, 0, false, true, false)), List.of());
        assertThatThrownBy(() -> txn(store, rt)).isInstanceOf(KeyNotFoundException.class)
                .hasMessage("etcdserver: key not found");
        assertThat(store.revision()).isEqualTo(4);
        assertThat(TestStores.get(store, "other").kvs()).isEmpty();
    }

    @Test
    void rangeAtAFutureRevisionFailsTheTxnUpFront() {
        TxnRequest rt = ifThen(List.of(), List.of(PutRequest.of(b("other"), b("1")),
                RangeRequest.builder(b("k1")).revision(5).build()), List.of());
        assertThatThrownBy(() -> txn(store, rt)).isInstanceOf(FutureRevisionException.class);
        assertThat(TestStores.get(store, "other").kvs()).isEmpty();
    }

    @Test
    void abortedWriteLeavesIndexAndBackendUntouched() {
        try (MvccWriteTxn w = store.beginWrite()) {
            w.put(PutRequest.of(b("k1"), b("changed")));
            w.put(PutRequest.of(b("fresh"), b("x")));
            w.deleteRange(DeleteRangeRequest.of(b("k2"), null));
        }
        assertThat(store.revision()).isEqualTo(4);
        assertThat(TestStores.get(store, "k1").kvs()).containsExactly(new KeyValue(b("k1"), 2, 2, 1, b("a"), 0));
        assertThat(TestStores.get(store, "fresh").kvs()).isEmpty();
        assertThat(TestStores.get(store, "k2").kvs()).hasSize(1);
        assertThat(put(store, "k1", "next")).isEqualTo(5);
        assertThat(TestStores.get(store, "k1").kvs().get(0).version()).isEqualTo(2);
    }

    @Test
    void abortedRangeDeletesLeaveEveryKeyAsItWas() {
        try (MvccWriteTxn w = store.beginWrite()) {
            w.put(PutRequest.of(b("k2"), b("changed")));
            w.put(PutRequest.of(b("k15"), b("fresh")));
            assertThat(w.deleteRange(DeleteRangeRequest.of(b("k"), b("l"))).deleted()).isEqualTo(4);
            w.finishEntry();
            w.put(PutRequest.of(b("k1"), b("again")));
            assertThat(w.deleteRange(new DeleteRangeRequest(b("k"), b("l"), true)).deleted()).isEqualTo(1);
        }
        assertThat(store.revision()).isEqualTo(4);
        assertThat(TestStores.get(store, "k15").kvs()).isEmpty();
        assertThat(store.range(RangeRequest.builder(b("k")).rangeEnd(b("l")).build()).kvs()).containsExactly(
                new KeyValue(b("k1"), 2, 2, 1, b("a"), 0), new KeyValue(b("k2"), 3, 3, 1, b("b"), 0),
                new KeyValue(b("k3"), 4, 4, 1, b("c"), 9));
        assertThat(put(store, "k2", "next")).isEqualTo(5);
        assertThat(TestStores.get(store, "k2").kvs()).containsExactly(new KeyValue(b("k2"), 3, 5, 2, b("next"), 0));
        assertThat(TestStores.delete(store, "k15", null).deleted()).isZero();
    }

    @Test
    void deleteOfNothingReportsTheCurrentRevisionAndDoesNotBumpIt() {
        DeleteRangeResponse d = TestStores.delete(store, "nope", null);
        assertThat(d.deleted()).isZero();
        assertThat(d.revision()).isEqualTo(4);
        assertThat(store.revision()).isEqualTo(4);
    }

    @Test
    void deleteRangeWithPrevKvs() {
        try (MvccWriteTxn w = store.beginWrite()) {
            DeleteRangeResponse d = w.deleteRange(new DeleteRangeRequest(b("k1"), b("k3"), true));
            assertThat(d.deleted()).isEqualTo(2);
            assertThat(d.prevKvs()).extracting(kv -> TestStores.s(kv.value())).containsExactly("a", "b");
            assertThat(d.revision()).isEqualTo(5);
            w.commit();
        }
    }

    @Test
    void groupCommitGivesEachEntryItsOwnRevisionAndPublishesAtCommit() {
        try (MvccWriteTxn w = store.beginWrite()) {
            assertThat(w.put(PutRequest.of(b("g1"), b("1"))).revision()).isEqualTo(5);
            w.setConsistentIndex(10, 2);
            assertThat(w.finishEntry()).isEqualTo(5);
            assertThat(w.put(PutRequest.of(b("g1"), b("2"))).revision()).isEqualTo(6);
            assertThat(w.put(PutRequest.of(b("g2"), b("1"))).revision()).isEqualTo(6);
            w.setConsistentIndex(11, 2);
            assertThat(w.finishEntry()).isEqualTo(6);
            assertThat(w.deleteRange(DeleteRangeRequest.of(b("nothing"), null)).revision()).isEqualTo(6);
            assertThat(w.finishEntry()).isEqualTo(6);
            assertThat(store.revision()).isEqualTo(4);
            assertThat(TestStores.get(store, "g1").kvs()).isEmpty();
            assertThat(w.commit()).isEqualTo(6);
        }
        assertThat(store.consistentIndex()).isEqualTo(11);
        assertThat(TestStores.get(store, "g1").kvs()).containsExactly(new KeyValue(b("g1"), 5, 6, 2, b("2"), 0));
        assertThat(store.history(5, 6, 0)).extracting(Event::revision)
                .containsExactly(new Revision(5, 0), new Revision(6, 0), new Revision(6, 1));
    }

    @Test
    void abortedGroupLosesEveryEntry() {
        try (MvccWriteTxn w = store.beginWrite()) {
            w.put(PutRequest.of(b("g1"), b("1")));
            w.finishEntry();
            w.put(PutRequest.of(b("g1"), b("2")));
        }
        assertThat(store.revision()).isEqualTo(4);
        assertThat(TestStores.get(store, "g1").kvs()).isEmpty();
        assertThat(put(store, "g1", "3")).isEqualTo(5);
    }

    @Test
    void failedCheckLeavesTheGroupUsableButAFailureMidTxnPoisonsIt() {
        try (MvccWriteTxn w = store.beginWrite()) {
            w.put(PutRequest.of(b("kept"), b("1")));
            w.finishEntry();
            TxnRequest bad = ifThen(List.of(), List.of(new PutRequest(b("missing"), null, 0, false, true, false)),
                    List.of());
            assertThatThrownBy(() -> w.txn(bad)).isInstanceOf(KeyNotFoundException.class);
            assertThat(w.commit()).isEqualTo(5);
        }
        assertThat(TestStores.get(store, "kept").kvs()).hasSize(1);
        try (MvccWriteTxn w = store.beginWrite()) {
            TxnRequest midway = ifThen(List.of(), List.of(DeleteRangeRequest.of(b("k1"), null),
                    new PutRequest(b("k1"), null, 0, false, true, false)), List.of());
            assertThatThrownBy(() -> w.txn(midway)).isInstanceOf(KeyNotFoundException.class);
            assertThatThrownBy(w::commit).isInstanceOf(IllegalStateException.class);
        }
        assertThat(TestStores.get(store, "k1").kvs()).hasSize(1);
        assertThat(store.revision()).isEqualTo(5);
    }
}
