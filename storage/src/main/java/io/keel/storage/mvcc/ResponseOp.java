package io.keel.storage.mvcc;

/**
 * The result of one {@link RequestOp}, as etcd's {@code ResponseOp}. Each carries the revision
 * etcd puts in its header. Implementations are immutable and thread-safe.
 */
public sealed interface ResponseOp permits RangeResponse, PutResponse, DeleteRangeResponse, TxnResponse {
    /** The revision etcd reports in this response's header. */
    long revision();
}
