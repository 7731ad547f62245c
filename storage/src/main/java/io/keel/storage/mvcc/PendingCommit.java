package io.keel.storage.mvcc;

import java.util.ArrayList;
import java.util.List;
import org.lmdbjava.Txn;

/**
 * The LMDB write transaction the applier keeps open across published batches (deferred commit,
 * as etcd's backend commits its batch transaction every 100 ms rather than per apply): what it
 * holds, and since when. Owned by the {@link MvccStore}; confined to the thread that began it
 * (LMDB binds a write transaction to its thread), which alone commits it.
 */
final class PendingCommit {
    final Txn<byte[]> txn;
    final Thread owner;
    final long sinceNanos;
    /** Every change of the batches in the transaction, in revision order: the read point's overlay. */
    final List<Event> changes = new ArrayList<>();
    long valueBytes;
    long rev;
    long consistentIndex = -1;
    long term = -1;

    PendingCommit(Txn<byte[]> txn, long sinceNanos) {
        this.txn = txn;
        this.owner = Thread.currentThread();
        this.sinceNanos = sinceNanos;
    }

    /** Adds a batch that was published and recorded (its consistent index, if any) in {@link #txn}. */
    void add(long batchRev, List<Event> batch, long index, long raftTerm) {
        changes.addAll(batch);
        for (Event e : batch) {
            byte[] v = e.kv().value();
            valueBytes += v == null ? 0 : v.length;
        }
        rev = batchRev;
        if (index >= 0) {
            consistentIndex = index;
            term = raftTerm;
        }
    }
}
