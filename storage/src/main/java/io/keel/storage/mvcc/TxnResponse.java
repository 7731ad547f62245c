package io.keel.storage.mvcc;

import java.util.List;

/**
 * etcd's {@code TxnResponse}. For the outermost txn {@code revision} is the txn's revision (the
 * new one if it wrote, else the current one); a nested txn reports 0, as etcd leaves its header
 * unset. Immutable; thread-safe.
 */
public record TxnResponse(long revision, boolean succeeded, List<ResponseOp> responses) implements ResponseOp {
    public TxnResponse {
        responses = List.copyOf(responses);
    }
}
