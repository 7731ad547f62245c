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
import io.keel.server.kv.KvProtoMapping;
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
import java.util.function.Function;

/**
 * Applies committed Raft entries to the MVCC store, the member list and the alarms, as etcd's
 * applierV3: each request is one MVCC write transaction that also records the entry's index, so
 * an entry is never applied twice across a crash. The member that proposed a request gets its
 * result through the {@link WaitRegistry}.
 *
 * <p>Confined to the node's apply thread (see {@link StateMachine}).
 */
public final class Applier implements StateMachine {
    private final MvccStore store;
    private final MemberStore members;
    private final AlarmStore alarms;
    private final WaitRegistry<ApplyResult> wait;
    private final ConfChangeApplier confChanges;
    private final Lessor lessor;
    private final LeaseApply leases;
    private final Consumer<List<Member>> onMembersChanged;
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
        this.applied = store.consistentIndex();
    }

    /** Records spans and slow-apply warnings through {@code observe}; call before the node starts. */
    public Applier observe(ApplyObservation observe) {
        this.observation = observe;
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
                confChanges.apply(e);
            } else if (e.data().length > 0) {
                applyRequest(e);
            }
            applied = e.index();
        }
    }

    private void applyRequest(Entry e) {
        InternalRequest req;
        try {
            req = InternalRequest.parseFrom(e.data());
        } catch (InvalidProtocolBufferException ex) {
            // Every member would fail the same way on the same committed bytes: the log is
            // corrupt or was written by an incompatible version. Stop rather than diverge.
            throw new IllegalStateException("undecodable request at raft index " + e.index(), ex);
        }
        observation.begin(req);
        ApplyResult result = switch (req.getRequestCase()) {
            case PUT -> write(e, true, w -> w.put(KvProtoMapping.put(req.getPut())));
            case DELETE_RANGE -> write(e, false, w -> w.deleteRange(KvProtoMapping.delete(req.getDeleteRange())));
            case TXN -> write(e, true, w -> w.txn(KvProtoMapping.txn(req.getTxn())));
            case COMPACTION -> compact(e, req.getCompaction().getRevision());
            case ALARM -> alarm(e, req.getAlarm());
            case MEMBER_ATTRIBUTES -> attributes(e, req.getMemberAttributes());
            case LEASE_GRANT -> leases.grant(e, req.getLeaseGrant());
            case LEASE_REVOKE -> leases.revoke(e, req.getLeaseRevoke().getID());
            case LEASE_CHECKPOINT -> leases.checkpoint(e, req.getLeaseCheckpoint());
            case REQUEST_NOT_SET -> ApplyResult.ok(null, store.revision());
        };
        observation.end(req, result);
        wait.trigger(req.getId(), result);
    }

    /** One MVCC write transaction for {@code op}, recording the entry's index with it. */
    private ApplyResult write(Entry e, boolean consumesSpace, Function<MvccWriteTxn, Object> op) {
        if (alarms.isActive(AlarmType.CORRUPT)) {
            return ApplyResult.failed(EtcdError.CORRUPT, store.revision());
        }
        if (consumesSpace && alarms.isActive(AlarmType.NOSPACE)) {
            return ApplyResult.failed(EtcdError.NO_SPACE, store.revision());
        }
        var span = observation.startWrite();
        try (MvccWriteTxn w = store.beginWrite()) {
            Object value = op.apply(w);
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
