package io.keel.storage.mvcc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Helpers for MVCC store tests: small quota, no fsync (the tests do not cut power). */
final class TestStores {
    static final List<String> AUX = List.of("members", "alarms", "leases");

    private TestStores() {
    }

    static MvccConfig config(Path dir) {
        return MvccConfig.defaults(dir.resolve("member/snap/db"), AUX).withQuota(64L * 1024 * 1024)
                .withSyncMode(SyncMode.NO_SYNC);
    }

    static MvccStore open(Path dir) {
        return MvccStore.open(config(dir));
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static long put(MvccStore store, String key, String value) {
        return put(store, key, value, 0);
    }

    static long put(MvccStore store, String key, String value, long lease) {
        try (MvccWriteTxn w = store.beginWrite()) {
            PutResponse resp = w.put(new PutRequest(b(key), b(value), lease, false, false, false));
            w.commit();
            return resp.revision();
        }
    }

    static DeleteRangeResponse delete(MvccStore store, String key, String rangeEnd) {
        try (MvccWriteTxn w = store.beginWrite()) {
            DeleteRangeResponse resp = w.deleteRange(DeleteRangeRequest.of(b(key), rangeEnd == null ? null : b(rangeEnd)));
            w.commit();
            return resp;
        }
    }

    static TxnResponse txn(MvccStore store, TxnRequest rt) {
        try (MvccWriteTxn w = store.beginWrite()) {
            TxnResponse resp = w.txn(rt);
            w.commit();
            return resp;
        }
    }

    static void compact(MvccStore store, long rev) {
        try (MvccWriteTxn w = store.beginWrite()) {
            var done = w.compact(rev);
            w.commit();
            done.join();
        }
    }

    static List<String> keys(RangeResponse r) {
        return r.kvs().stream().map(kv -> s(kv.key())).toList();
    }

    static RangeResponse get(MvccStore store, String key) {
        return store.range(RangeRequest.builder(b(key)).build());
    }
}
