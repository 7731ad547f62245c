package io.keel.server.apply;

import io.keel.api.etcdserverpb.AlarmType;
import io.keel.api.internal.v1.InternalRequest;
import io.keel.raft.Entry;
import io.keel.server.alarm.AlarmStore;
import io.keel.server.errors.ErrorMapping;
import io.keel.server.errors.EtcdError;
import io.keel.server.kv.KvProtoMapping;
import io.keel.server.lease.Lessor;
import io.keel.storage.mvcc.Event;
import io.keel.storage.mvcc.MvccException;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.MvccWriteTxn;
import io.keel.tracing.span.SpanHandle;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Group commit of consecutive key-value writes (put, delete range, txn): each request gets its own
 * main revision ({@link MvccWriteTxn#finishEntry()}), and the whole run is one LMDB commit (one
 * fdatasync) that records the last entry's index as the consistent index.
 *
 * <p>The run is published before that commit ({@link MvccWriteTxn#publish()}): readers see it,
 * the lessor and the watchers are told, and the proposers get their replies while the fdatasync
 * runs, as etcd replies before its backend batch commits. That is safe because the entries are
 * already durable in the Raft log of a majority: if the member dies before the commit, the store
 * comes back at the previous consistent index and the entries are applied again from the log.
 * The run's LMDB transaction then stays open ({@link MvccWriteTxn#commitLater()}): the next runs
 * join it, and the {@link Applier} commits them together when they are due (etcd's backend batch
 * interval), so one fdatasync serves many runs.
 *
 * <p>A request that must change nothing after it began writing (a put naming an unknown lease, a
 * txn that failed half-way) cannot be rolled back alone inside the shared transaction: then the
 * batch aborts and {@link #apply} returns null, and the caller applies the run one request per
 * transaction, exactly as before batching.
 *
 * <p>Owner: the {@link Applier}. Confined to the apply thread.
 */
final class KvWriteBatch {
    /** One decoded key-value request waiting in the run. */
    record Pending(Entry entry, InternalRequest request, ApplyObservation.Applying applying) {
    }

    private final MvccStore store;
    private final AlarmStore alarms;
    private final Lessor lessor;
    private final Supplier<CommitListener> commits;
    private final Supplier<ApplyObservation> observation;

    KvWriteBatch(MvccStore store, AlarmStore alarms, Lessor lessor, Supplier<CommitListener> commits,
                 Supplier<ApplyObservation> observation) {
        this.store = store;
        this.alarms = alarms;
        this.lessor = lessor;
        this.commits = commits;
        this.observation = observation;
    }

    static boolean batchable(InternalRequest req) {
        return switch (req.getRequestCase()) {
            case PUT, DELETE_RANGE, TXN -> true;
            default -> false;
        };
    }

    /** Runs {@code req} (batchable) in {@code w}; the value is the MVCC response. */
    static Object run(MvccWriteTxn w, InternalRequest req) {
        return switch (req.getRequestCase()) {
            case PUT -> w.put(KvProtoMapping.put(req.getPut()));
            case DELETE_RANGE -> w.deleteRange(KvProtoMapping.delete(req.getDeleteRange()));
            case TXN -> w.txn(KvProtoMapping.txn(req.getTxn()));
            default -> throw new IllegalArgumentException("not a key-value write: " + req.getRequestCase());
        };
    }

    /** etcd refuses writes while corrupt, and writes that take space while out of space. */
    ApplyResult refusal(InternalRequest req, long revision) {
        if (alarms.isActive(AlarmType.CORRUPT)) {
            return ApplyResult.failed(EtcdError.CORRUPT, revision);
        }
        if (req.getRequestCase() != InternalRequest.RequestCase.DELETE_RANGE && alarms.isActive(AlarmType.NOSPACE)) {
            return ApplyResult.failed(EtcdError.NO_SPACE, revision);
        }
        return null;
    }

    /**
     * Applies {@code run} in one transaction, hands each request's result, in order, to
     * {@code visible} once the run is published, then commits. Returns false, having changed
     * nothing and called nothing, when the run must be applied one by one.
     */
    boolean apply(List<Pending> run, Consumer<List<ApplyResult>> visible) {
        int n = run.size();
        List<ApplyResult> results = new ArrayList<>(n);
        List<List<Event>> changes = new ArrayList<>(n);
        List<SpanHandle> spans = new ArrayList<>(n);
        ApplyObservation observe = observation.get();
        try (MvccWriteTxn w = store.beginGroupWrite()) {
            for (Pending p : run) {
                ApplyResult refused = refusal(p.request(), w.beginRevision());
                if (refused != null) {
                    results.add(refused);
                    changes.add(List.of());
                    continue;
                }
                spans.add(observe.startWrite(p.applying()));
                Object value;
                try {
                    value = run(w, p.request());
                    observe.written(p.applying());
                } catch (MvccException ex) {
                    observe.written(p.applying());
                    if (!w.currentEntryChanges().isEmpty()) {
                        return false; // it wrote before failing: only a transaction of its own can undo that
                    }
                    results.add(ApplyResult.failed(ErrorMapping.storeError(ex), w.beginRevision()));
                    changes.add(List.of());
                    continue;
                }
                List<Event> entryChanges = w.currentEntryChanges();
                if (lessor.missingLease(entryChanges) != 0) {
                    return false; // as etcd, such a put changes nothing: undo it alone
                }
                results.add(ApplyResult.ok(value, w.finishEntry()));
                changes.add(entryChanges);
            }
            Entry last = run.get(n - 1).entry();
            w.setConsistentIndex(last.index(), last.term());
            w.publish();
            // The write spans end here: the write is durable (in the log) and visible.
            spans.forEach(SpanHandle::end);
            spans.clear();
            CommitListener listener = commits.get();
            for (int i = 0; i < n; i++) {
                if (!results.get(i).failed()) {
                    lessor.keysChanged(changes.get(i));
                    listener.committed(results.get(i).revision(), changes.get(i));
                }
            }
            visible.accept(results);
            // The LMDB commit comes later, for several runs at once (the Applier decides when).
            w.commitLater();
        } finally {
            spans.forEach(SpanHandle::end);
        }
        return true;
    }
}
