package io.keel.storage.mvcc;

import static io.keel.storage.mvcc.TestStores.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuotaAndSizeTest {
    @TempDir
    Path dir;

    @Test
    void quotaRefusesAWriteThatWouldExceedIt() {
        MvccConfig config = TestStores.config(dir).withQuota(1024L * 1024);
        try (MvccStore store = MvccStore.open(config)) {
            PutRequest small = PutRequest.of(b("k"), new byte[100]);
            assertThat(store.quotaAvailable(QuotaCost.of(small))).isTrue();
            byte[] big = new byte[64 * 1024];
            int written = 0;
            while (store.quotaAvailable(QuotaCost.of(PutRequest.of(b("k" + written), big)))) {
                store.put(PutRequest.of(b("k" + written), big), written + 1, 1);
                written++;
            }
            assertThat(written).isBetween(4, 16);
            assertThat(store.dbSizeBytes() + QuotaCost.of(PutRequest.of(b("k"), big)))
                    .isGreaterThan(config.quotaBackendBytes());
            assertThat(store.quotaAvailable(QuotaCost.of(RangeRequest.builder(b("k")).build()))).isTrue();
        }
    }

    @Test
    void memberOverQuotaCanStillWriteItsAlarmCompactAndDefragment() {
        MvccConfig config = TestStores.config(dir).withQuota(1024L * 1024);
        try (MvccStore store = MvccStore.open(config)) {
            byte[] big = new byte[64 * 1024];
            for (int i = 0; i < 40; i++) { // beyond the quota: the map has head room above it
                store.put(PutRequest.of(b("k" + (i % 4)), big), i + 1, 1);
            }
            assertThat(store.dbSizeBytes()).isGreaterThan(config.quotaBackendBytes());
            java.util.concurrent.CompletableFuture<Void> compacted;
            try (MvccWriteTxn w = store.beginWrite()) {
                w.putAux("alarms", b("member-1"), b("NOSPACE"));
                compacted = w.compact(w.beginRevision());
                w.commit();
            }
            compacted.join();
            DefragmentResult r = store.defragment();
            assertThat(r.dbSizeBytesAfter()).isLessThan(config.quotaBackendBytes());
            assertThat(store.readAux("alarms")).hasSize(1);
        }
    }

    @Test
    void txnCostIsItsCostlierBranch() {
        TxnRequest t = new TxnRequest(List.of(), List.of(PutRequest.of(b("a"), new byte[10])),
                List.of(PutRequest.of(b("b"), new byte[10]), PutRequest.of(b("c"), new byte[10])));
        assertThat(QuotaCost.of(t)).isEqualTo(2 * (QuotaCost.KV_OVERHEAD_BYTES + 11));
        assertThat(QuotaCost.of(DeleteRangeRequest.of(b("a"), null))).isZero();
    }

    @Test
    void configRejectsAMapWithoutHeadRoomAboveTheQuota() {
        MvccConfig c = TestStores.config(dir);
        MvccConfig tight = new MvccConfig(c.dbPath(), c.quotaBackendBytes(), c.quotaBackendBytes(), c.syncMode(),
                c.auxBuckets(), c.compactionBatchLimit(), c.maxReaders());
        assertThatThrownBy(tight::validate).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mapSizeBytes");
        MvccConfig reserved = new MvccConfig(c.dbPath(), c.quotaBackendBytes(), c.mapSizeBytes(), c.syncMode(),
                List.of("meta"), c.compactionBatchLimit(), c.maxReaders());
        assertThatThrownBy(reserved::validate).hasMessageContaining("aux bucket");
    }

    @Test
    void unknownAuxBucketIsRejected() {
        try (MvccStore store = TestStores.open(dir); MvccWriteTxn w = store.beginWrite()) {
            assertThatThrownBy(() -> w.putAux("nope", b("k"), b("v"))).hasMessageContaining("unknown aux bucket");
        }
    }
}
