package io.keel.storage.mvcc;

import io.keel.storage.mvcc.backend.LmdbBackend;
import io.keel.storage.mvcc.backend.RevisionKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Txn;

/**
 * Physical compaction: deletes from the backend every revision at or below the compact revision
 * that the index no longer keeps, in batches of {@code batchLimit} revisions per LMDB write
 * transaction so the applier's writes interleave, and records {@code finishedCompactRev} with the
 * last batch (etcd's meta keys). Owns one daemon thread; jobs run in scheduling order.
 * Thread-safe.
 */
final class Compactor implements AutoCloseable {
    static final String SCHEDULED = "scheduledCompactRev";
    static final String FINISHED = "finishedCompactRev";

    private final MvccStore store;
    private final int batchLimit;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "keel-mvcc-compactor");
        t.setDaemon(true);
        return t;
    });

    Compactor(MvccStore store, int batchLimit) {
        this.store = store;
        this.batchLimit = batchLimit;
    }

    /** Runs the deletion on the compactor thread; {@code done} completes when it is durable. */
    void schedule(long rev, Set<Revision> keep, CompletableFuture<Void> done) {
        long epoch = store.backendEpoch();
        thread.execute(() -> {
            try {
                run(rev, keep, epoch);
                done.complete(null);
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        });
    }

    /**
     * Runs the deletion on the calling thread (resuming an interrupted compaction at open). Stops if
     * the store's content was replaced by a snapshot since {@code epoch}: the keep set no longer applies.
     */
    void run(long rev, Set<Revision> keep, long epoch) {
        byte[] from = RevisionKeys.lowerBound(0);
        boolean finished = false;
        while (!finished) {
            byte[] start = from;
            byte[][] next = new byte[1][];
            finished = store.withBackend(backend -> {
                if (store.backendEpoch() != epoch) {
                    throw new IllegalStateException("store restored from a snapshot during compaction at " + rev);
                }
                return deleteBatch(backend, start, rev, keep, next);
            });
            from = next[0];
        }
    }

    private boolean deleteBatch(LmdbBackend backend, byte[] from, long rev, Set<Revision> keep, byte[][] next) {
        try (Txn<byte[]> txn = backend.writeTxn()) {
            List<byte[]> doomed = new ArrayList<>();
            int seen = 0;
            boolean reachedEnd = true;
            try (CursorIterable<byte[]> it = backend.revisionsFrom(txn, from)) {
                for (CursorIterable.KeyVal<byte[]> kv : it) {
                    Revision r = RevisionKeys.decode(kv.key());
                    if (r.main() > rev) {
                        break;
                    }
                    if (seen == batchLimit) {
                        next[0] = kv.key();
                        reachedEnd = false;
                        break;
                    }
                    seen++;
                    if (!keep.contains(r)) {
                        doomed.add(kv.key());
                    }
                }
            }
            for (byte[] key : doomed) {
                backend.deleteRevision(txn, key);
            }
            if (reachedEnd) {
                backend.putMeta(txn, FINISHED, rev);
            }
            txn.commit();
            return reachedEnd;
        }
    }

    /** Waits for every scheduled job, then stops the thread. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(1, TimeUnit.MINUTES)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
    }
}
