package io.keel.server.apply;

import io.keel.api.etcdserverpb.RequestOp;
import io.keel.api.etcdserverpb.TxnRequest;

/**
 * Whether a txn attaches a lease anywhere. Until the lessor exists every lease id is unknown, and
 * etcd refuses a put naming an unknown lease with "etcdserver: requested lease not found".
 * Stateless; thread-safe.
 */
final class TxnLeases {
    private TxnLeases() {
    }

    static boolean usesLease(TxnRequest txn) {
        return anyLease(txn.getSuccessList()) || anyLease(txn.getFailureList());
    }

    private static boolean anyLease(java.util.List<RequestOp> ops) {
        for (RequestOp op : ops) {
            if (op.hasRequestPut() && op.getRequestPut().getLease() != 0) {
                return true;
            }
            if (op.hasRequestTxn() && usesLease(op.getRequestTxn())) {
                return true;
            }
        }
        return false;
    }
}
