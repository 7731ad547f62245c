package io.keel.storage.mvcc;

import java.util.List;

/** etcd's {@code TxnRequest}: if all compares hold, run success, else failure. Immutable; thread-safe. */
public record TxnRequest(List<Compare> compare, List<RequestOp> success, List<RequestOp> failure)
        implements RequestOp {

    public TxnRequest {
        compare = List.copyOf(compare);
        success = List.copyOf(success);
        failure = List.copyOf(failure);
    }

    /** True when no branch, at any depth, writes (etcd's isTxnReadonly). */
    public boolean isReadOnly() {
        return readOnly(success) && readOnly(failure);
    }

    private static boolean readOnly(List<RequestOp> ops) {
        for (RequestOp op : ops) {
            if (op instanceof PutRequest || op instanceof DeleteRangeRequest) {
                return false;
            }
            if (op instanceof TxnRequest t && !t.isReadOnly()) {
                return false;
            }
        }
        return true;
    }
}
