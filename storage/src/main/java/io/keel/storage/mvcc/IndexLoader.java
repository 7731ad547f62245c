package io.keel.storage.mvcc;

import io.keel.storage.mvcc.backend.KeyValueCodec;
import io.keel.storage.mvcc.backend.LmdbBackend;
import io.keel.storage.mvcc.backend.RevisionKeys;
import io.keel.storage.mvcc.index.BulkIndexBuilder;
import io.keel.storage.mvcc.index.TreeIndex;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Txn;

/**
 * Rebuilds the in-memory index and the meta state from the backend at open: one cursor pass over
 * the revisions, decoding only the index's fields of each record ({@link KeyValueCodec#decodeIndexFields})
 * into a {@link BulkIndexBuilder}. Stateless; thread-safe.
 */
final class IndexLoader {
    private IndexLoader() {
    }

    /** What the backend holds: the index, the highest stored revision and the meta records. */
    record Loaded(TreeIndex index, long lastRevision, long scheduledCompactRev, long finishedCompactRev,
            long consistentIndex, long term) {
    }

    static Loaded load(LmdbBackend backend) {
        long last = 0;
        try (Txn<byte[]> txn = backend.readTxn();
                CursorIterable<byte[]> it = backend.revisionsFrom(txn, RevisionKeys.lowerBound(0))) {
            BulkIndexBuilder builder = new BulkIndexBuilder(backend.revisionCount(txn));
            for (CursorIterable.KeyVal<byte[]> kv : it) {
                Revision rev = RevisionKeys.decode(kv.key());
                KeyValueCodec.IndexFields stored = KeyValueCodec.decodeIndexFields(kv.val());
                builder.add(stored.key(), rev, new Revision(stored.createRevision(), 0), stored.version(),
                        RevisionKeys.isTombstone(kv.key()));
                last = rev.main();
            }
            TreeIndex index = builder.build();
            return new Loaded(index, last,
                    backend.getMeta(txn, Compactor.SCHEDULED, -1),
                    backend.getMeta(txn, Compactor.FINISHED, -1),
                    backend.getMeta(txn, MvccWriteTxn.CONSISTENT_INDEX, 0),
                    backend.getMeta(txn, MvccWriteTxn.TERM, 0));
        }
    }
}
