package io.keel.storage.mvcc;

/**
 * etcd's quota cost of a request: for a put, a fixed per-key overhead plus key and value
 * bytes; for a txn, the costlier branch; reads and deletes cost nothing. Stateless; thread-safe.
 */
public final class QuotaCost {
    /** etcd's kvOverhead. */
    public static final long KV_OVERHEAD_BYTES = 256;

    private QuotaCost() {
    }

    public static long of(RequestOp op) {
        if (op instanceof PutRequest p) {
            return KV_OVERHEAD_BYTES + p.key().length + p.value().length;
        }
        if (op instanceof TxnRequest t) {
            return Math.max(sum(t.success()), sum(t.failure()));
        }
        return 0;
    }

    private static long sum(java.util.List<RequestOp> ops) {
        long total = 0;
        for (RequestOp op : ops) {
            total += of(op);
        }
        return total;
    }
}
