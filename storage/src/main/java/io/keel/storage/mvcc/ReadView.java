package io.keel.storage.mvcc;

import org.lmdbjava.Txn;

/** A read-only {@link TxnView} over one LMDB read transaction and a {@link ReadPoint}. Confined to its thread. */
final class ReadView implements TxnView {
    private final MvccStore store;
    private final Txn<byte[]> txn;
    private final ReadPoint point;

    ReadView(MvccStore store, Txn<byte[]> txn, ReadPoint point) {
        this.store = store;
        this.txn = txn;
        this.point = point;
    }

    @Override
    public RangeResponse range(RangeRequest r) {
        return RangeEvaluator.range(store.index(), at -> store.read(point, txn, at), r, point.rev(), store.compactRevision());
    }

    @Override
    public long beginRevision() {
        return point.rev();
    }

    @Override
    public long compactRevision() {
        return store.compactRevision();
    }

    @Override
    public PutResponse put(PutRequest r) {
        throw new IllegalStateException("put in a read-only txn");
    }

    @Override
    public DeleteRangeResponse deleteRange(DeleteRangeRequest r) {
        throw new IllegalStateException("delete in a read-only txn");
    }
}
