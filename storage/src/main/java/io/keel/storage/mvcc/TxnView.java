package io.keel.storage.mvcc;

/**
 * What a transaction runs against: a read view (read-only txns) or a write transaction.
 * Confined to the thread running the transaction.
 */
interface TxnView {
    /** A range against this view's current state (including its own earlier writes). */
    RangeResponse range(RangeRequest r);

    /** The view's revision before the transaction (etcd's ReadView.Rev). */
    long beginRevision();

    /** The compact revision (etcd's ReadView.FirstRev). */
    long compactRevision();

    PutResponse put(PutRequest r);

    DeleteRangeResponse deleteRange(DeleteRangeRequest r);
}
