package io.keel.server.apply;

import com.google.protobuf.InvalidProtocolBufferException;
import io.keel.api.etcdserverpb.AlarmRequest;
import io.keel.api.etcdserverpb.AlarmType;
import io.keel.api.etcdserverpb.Member;
import io.keel.api.internal.v1.InternalRequest;
import io.keel.api.internal.v1.MemberAttributes;
import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.EntryType;
import io.keel.raft.Snapshot;
import io.keel.server.alarm.AlarmStore;
import io.keel.server.errors.ErrorMapping;
import io.keel.server.errors.EtcdError;
import io.keel.server.membership.InitialMembers;
import io.keel.server.membership.MemberStore;
import io.keel.server.raftnode.StateMachine;
import io.keel.server.wait.WaitRegistry;
import io.keel.server.lease.Lessor;
import io.keel.storage.mvcc.Event;
import io.keel.storage.mvcc.MvccException;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.MvccWriteTxn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.function.Consumer;

/**
 * Applies committed Raft entries to the MVCC store, the member list and the alarms, as etcd's
 * applierV3. Consecutive key-value writes handed over together share one MVCC write transaction
 * (group commit, {@link KvWriteBatch}), and consecutive runs share one LMDB commit, at most
 * {@link #batching the batch interval} after the first (deferred commit); every other request has its
 * own transaction and commits everything before it. Each commit records the index of its last
 * entry, so an entry is never applied twice across a crash. The member that proposed a request
 * gets its result through the {@link WaitRegistry} once the request is visible to readers.
 *
 * <p>Confined to the node's apply thread (see {@link StateMachine}).
 */
public final class Applier implements StateMachine {
    /**
     * Most key-value writes committed in one LMDB transaction. Bounds the transaction's size and
     * what a power loss can take back (LMDB may lose its last commit; see {@link #durableIndex()}).
     */
    static final int MAX_BATCH = 1_000;
    /**
     * Most request bytes in one group commit: an LMDB write transaction holds its dirty pages in
     * memory and fails (MDB_TXN_FULL) past about half a million of them, and a thousand requests
     * of etcd's 1.5 MiB maximum would get there.
     */
    static final long MAX_BATCH_BYTES = 16L << 20;
    /**
     * Longest a group commit's LMDB transaction stays open for later runs to join, unless
     * {@code --backend-batch-interval} says otherwise (etcd's default is 100 ms as well). Only the
     * store's commit waits: the runs are visible and answered at once, and durable in the Raft log
     * already.
     */
    static final long DEFAULT_COMMIT_INTERVAL_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * Most key-value changes held back before the open transaction is committed anyway, unless
     * {@code --backend-batch-limit} says otherwise (etcd counts 10,000 operations; each change here
     * also stays in the readers' overlay until the commit, so the default is lower).
     */
    static final int DEFAULT_MAX_PENDING_CHANGES = 1_000;
    /** Most bytes of values held back, whatever the limit: a bound on the open transaction's memory. */
    static final long MAX_PENDING_VALUE_BYTES = 8L << 20;
    private long commitIntervalNanos = DEFAULT_COMMIT_INTERVAL_NANOS;
    private int maxPendingChanges = DEFAULT_MAX_PENDING_CHANGES;
    private final MvccStore store;
    private final MemberStore members;
    private final AlarmStore alarms;
    private final WaitRegistry<ApplyResult> wait;
    private final ConfChangeApplier confChanges;
    private final Lessor lessor;
    private final LeaseApply leases;
    private final Consumer<List<Member>> onMembersChanged;
    private final KvWriteBatch batch;
    /** Key-value writes decoded but not yet committed (the current group commit). */
    private final List<KvWriteBatch.Pending> run = new java.util.ArrayList<>();
    private long runBytes;
    private long applied;
    private ApplyObservation observation = ApplyObservation.defaults();
    private CommitListener commitListener = CommitListener.NONE;

    /**
     * @param onMembersChanged called on the apply thread after every configuration change, with
     *                         the new member list (the peer transport follows it)
     */
    public Applier(MvccStore store, MemberStore members, AlarmStore alarms, Lessor lessor,
                   WaitRegistry<ApplyResult> wait, InitialMembers initialMembers,
                   Consumer<List<Member>> onMembersChanged) {
        this.store = store;
        this.members = members;
        this.alarms = alarms;
        this.wait = wait;
        this.confChanges = new ConfChangeApplier(store, members, wait, initialMembers, onMembersChanged);
        this.lessor = lessor;
        this.leases = new LeaseApply(store, lessor, (rev, changes) -> commitListener.committed(rev, changes));
        this.onMembersChanged = onMembersChanged;
        this.batch = new KvWriteBatch(store, alarms, lessor, () -> commitListener, () -> observation);
        this.applied = store.consistentIndex();
    }

    /** Records spans and slow-apply warnings through {@code observe}; call before the node starts. */
    public Applier observe(ApplyObservation observe) {
        this.observation = observe;
        return this;
    }

    /**
     * etcd's {@code --backend-batch-interval} and {@code --backend-batch-limit}: how long, and for
     * how many key-value changes, the LMDB transaction stays open before it is committed; zero
     * keeps the default ({@link #DEFAULT_COMMIT_INTERVAL_NANOS}, {@link #DEFAULT_MAX_PENDING_CHANGES}).
     * Before the apply thread starts.
     *
     * @throws IllegalArgumentException when either is negative
     */
    public Applier batching(java.time.Duration interval, long maxChanges) {
        if (interval.isNegative() || maxChanges < 0) {
            throw new IllegalArgumentException("batch interval and limit must not be negative: " + interval + ", "
                    + maxChanges);
        }
        this.commitIntervalNanos = interval.isZero() ? DEFAULT_COMMIT_INTERVAL_NANOS : interval.toNanos();
        this.maxPendingChanges = maxChanges == 0 ? DEFAULT_MAX_PENDING_CHANGES
                : (int) Math.min(maxChanges, Integer.MAX_VALUE);
        return this;
    }

    /** Who hears of each commit's changes (the watch hub); set before the apply thread starts. */
    public void setCommitListener(CommitListener listener) {
        this.commitListener = java.util.Objects.requireNonNull(listener, "listener");
    }

    @Override
    public long appliedIndex() {
        return applied;
    }

    @Override
    public void apply(List<Entry> entries, ConfState confState) {
        for (Entry e : entries) {
            if (e.index() <= applied) {
                continue;
            }
            if (e.type() == EntryType.CONF_CHANGE) {
                flush();
                confChanges.apply(e);
            } else if (e.data().length > 0) {
                InternalRequest req = decode(e);
                if (KvWriteBatch.batchable(req)) {
                    if (run.size() >= MAX_BATCH || runBytes + e.data().length > MAX_BATCH_BYTES) {
                        flush();
                    }
                    run.add(new KvWriteBatch.Pending(e, req, observation.begin(req)));
                    runBytes += e.data().length;
                } else {
                    // Everything else has its own transaction and may read what the run wrote
                    // (a compaction's revision, a revoke's keys): commit the run first.
                    flush();
                    applyRequest(e, req);
                }
            }
            applied = e.index();
        }
        flush();
        if (store.hasPendingCommit() && (pendingCommitDelayNanos() <= 0 || pendingFull())) {
            store.commitPending();
        }
    }

    private boolean pendingFull() {
        return store.pendingChanges() >= maxPendingChanges || store.pendingValueBytes() >= MAX_PENDING_VALUE_BYTES;
    }

    @Override
    public long pendingCommitDelayNanos() {
        if (!store.hasPendingCommit()) {
            return Long.MAX_VALUE;
        }
        // Elapsed first: a long interval (Go durations reach 292 years) must not overflow the sum.
        return commitIntervalNanos - (System.nanoTime() - store.pendingSinceNanos());
    }

    @Override
    public void commitPending() {
        store.commitPending();
    }

    /**
     * Applies the run of key-value writes and tells their proposers once it is visible: as a
     * group, before its LMDB commit (see {@link KvWriteBatch}); one by one, after each commit.
     */
    private void flush() {
        if (run.isEmpty()) {
            return;
        }
        if (pendingFull()) {
            // Bounds the open transaction: at most the caps plus one run (MAX_BATCH_BYTES).
            store.commitPending();
        }
        if (!batch.apply(run, this::answer)) {
            List<ApplyResult> results = new java.util.ArrayList<>(run.size());
            for (KvWriteBatch.Pending p : run) {
                results.add(write(p));
            }
            answer(results);
        }
        run.clear();
        runBytes = 0;
    }

    /** Hands the run's results, in order, to their proposers. */
    private void answer(List<ApplyResult> results) {
        for (int i = 0; i < run.size(); i++) {
            KvWriteBatch.Pending p = run.get(i);
            observation.end(p.applying(), p.request(), results.get(i));
            wait.trigger(p.request().getId(), results.get(i));
        }
    }

    private static InternalRequest decode(Entry e) {
        try {
            return InternalRequest.parseFrom(e.data());
        } catch (InvalidProtocolBufferException ex) {
            // Every member would fail the same way on the same committed bytes: the log is
            // corrupt or was written by an incompatible version. Stop rather than diverge.
            throw new IllegalStateException("undecodable request at raft index " + e.index(), ex);
        }
    }

    private void applyRequest(Entry e, InternalRequest req) {
        ApplyObservation.Applying applying = observation.begin(req);
        ApplyResult result = switch (req.getRequestCase()) {
            case COMPACTION -> compact(e, req.getCompaction().getRevision());
            case ALARM -> alarm(e, req.getAlarm());
            case MEMBER_ATTRIBUTES -> attributes(e, req.getMemberAttributes());
            case LEASE_GRANT -> leases.grant(e, req.getLeaseGrant());
            case LEASE_REVOKE -> leases.revoke(e, req.getLeaseRevoke().getID());
            case LEASE_CHECKPOINT -> leases.checkpoint(e, req.getLeaseCheckpoint());
            case REQUEST_NOT_SET -> ApplyResult.ok(null, store.revision());
            default -> throw new IllegalStateException("key-value writes go through the batch: " + req.getRequestCase());
        };
        observation.end(applying, req, result);
        wait.trigger(req.getId(), result);
    }

    /** One key-value write as a transaction of its own, recording the entry's index with it. */
    private ApplyResult write(KvWriteBatch.Pending p) {
        Entry e = p.entry();
        ApplyResult refused = batch.refusal(p.request(), store.revision());
        if (refused != null) {
            return refused;
        }
        var span = observation.startWrite(p.applying());
        try (MvccWriteTxn w = store.beginWrite()) {
            Object value = KvWriteBatch.run(w, p.request());
            List<Event> changes = w.changes();
            if (lessor.missingLease(changes) != 0) {
                // As etcd, a put naming an unknown lease changes nothing; closing aborts the txn.
                return ApplyResult.failed(EtcdError.LEASE_NOT_FOUND, store.revision());
            }
            w.setConsistentIndex(e.index(), e.term());
            long rev = w.commit();
            lessor.keysChanged(changes);
            commitListener.committed(rev, changes);
            return ApplyResult.ok(value, rev);
        } catch (MvccException ex) {
            return ApplyResult.failed(ErrorMapping.storeError(ex), store.revision());
        } finally {
            span.end();
        }
    }

    private ApplyResult compact(Entry e, long revision) {
        if (alarms.isActive(AlarmType.CORRUPT)) {
            return ApplyResult.failed(EtcdError.CORRUPT, store.revision());
        }
        try (MvccWriteTxn w = store.beginWrite()) {
            var physical = w.compact(revision);
            w.setConsistentIndex(e.index(), e.term());
            long rev = w.commit();
            return new ApplyResult(null, rev, null, physical);
        } catch (MvccException ex) {
            return ApplyResult.failed(ErrorMapping.storeError(ex), store.revision());
        }
    }

    private ApplyResult alarm(Entry e, AlarmRequest request) {
        try (MvccWriteTxn w = store.beginWrite()) {
            boolean changed = switch (request.getAction()) {
                case ACTIVATE -> alarms.activate(request.getMemberID(), request.getAlarm(), w);
                case DEACTIVATE -> alarms.deactivate(request.getMemberID(), request.getAlarm(), w);
                default -> false;
            };
            w.setConsistentIndex(e.index(), e.term());
            long rev = w.commit();
            var alarm = io.keel.api.etcdserverpb.AlarmMember.newBuilder()
                    .setMemberID(request.getMemberID()).setAlarm(request.getAlarm()).build();
            return ApplyResult.ok(changed ? List.of(alarm) : List.of(), rev);
        }
    }

    private ApplyResult attributes(Entry e, MemberAttributes attrs) {
        Member existing = members.get(attrs.getMemberId());
        try (MvccWriteTxn w = store.beginWrite()) {
            if (existing != null) {
                members.put(existing.toBuilder().setName(attrs.getName()).clearClientURLs()
                        .addAllClientURLs(attrs.getClientUrlsList()).build(), w);
            }
            w.setConsistentIndex(e.index(), e.term());
            return ApplyResult.ok(null, w.commit());
        }
    }

    @Override
    public long durableIndex() {
        // Entries that committed nothing (empty, refused) left the state as the last commit made
        // it: once that commit is durable, so is everything applied.
        // Runs whose LMDB commit is still pending are not on disk at all: only what is committed counts.
        long durable = store.durableConsistentIndex();
        return durable >= store.consistentIndex() && !store.hasPendingCommit() ? applied : durable;
    }

    @Override
    public void sync() {
        store.sync();
    }

    @Override
    public boolean confChangeRefused(long index) {
        return members.wasRefused(index);
    }

    @Override
    public void restore(Snapshot snapshot) {
        store.restore(new ByteArrayInputStream(snapshot.data()));
        members.reload(store);
        alarms.reload(store);
        lessor.reload(store);
        applied = snapshot.metadata().index();
        // A snapshot can bring members this one never saw added: the transport must learn them.
        onMembersChanged.accept(members.list());
    }

    @Override
    public byte[] snapshotData() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.snapshot(out);
        return out.toByteArray();
    }
}
