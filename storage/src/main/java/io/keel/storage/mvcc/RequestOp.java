package io.keel.storage.mvcc;

/**
 * One operation of a transaction branch, as etcd's {@code RequestOp}: a range, put, delete-range
 * or nested txn. Implementations are immutable and thread-safe.
 */
public sealed interface RequestOp permits RangeRequest, PutRequest, DeleteRangeRequest, TxnRequest {
}
