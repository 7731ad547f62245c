package io.keel.server.apply;

import io.keel.api.etcdserverpb.LeaseCheckpoint;
import io.keel.api.etcdserverpb.LeaseCheckpointRequest;
import io.keel.api.etcdserverpb.LeaseGrantRequest;
import io.keel.raft.Entry;
import io.keel.server.errors.EtcdError;
import io.keel.server.lease.LeaseStore;
import io.keel.server.lease.Lessor;
import io.keel.storage.mvcc.DeleteRangeRequest;
import io.keel.storage.mvcc.Event;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.MvccWriteTxn;

import java.util.List;

/**
 * Applies the lease requests (grant, revoke, checkpoint) as etcd's applier does: each is one MVCC
 * write transaction recording the entry's index; the {@link Lessor}'s memory follows only after
 * the commit. A revoke deletes every attached key in one revision.
 *
 * <p>Confined to the apply thread.
 */
final class LeaseApply {
    private final MvccStore store;
    private final Lessor lessor;
    private final CommitListener commits;

    LeaseApply(MvccStore store, Lessor lessor, CommitListener commits) {
        this.store = store;
        this.lessor = lessor;
        this.commits = commits;
    }

    /** The value of a successful grant is the TTL the lease got (after the minimum rule). */
    ApplyResult grant(Entry e, LeaseGrantRequest r) {
        if (r.getID() == 0) {
            return ApplyResult.failed(EtcdError.LEASE_NOT_FOUND, store.revision());
        }
        if (r.getTTL() > Lessor.MAX_TTL_SECONDS) {
            return ApplyResult.failed(EtcdError.LEASE_TTL_TOO_LARGE, store.revision());
        }
        if (lessor.exists(r.getID())) {
            return ApplyResult.failed(EtcdError.LEASE_EXIST, store.revision());
        }
        long ttl = lessor.effectiveTtl(r.getTTL());
        long rev;
        try (MvccWriteTxn w = store.beginWrite()) {
            LeaseStore.put(w, r.getID(), ttl, 0);
            w.setConsistentIndex(e.index(), e.term());
            rev = w.commit();
        }
        lessor.granted(r.getID(), ttl, 0);
        return ApplyResult.ok(ttl, rev);
    }

    ApplyResult revoke(Entry e, long id) {
        if (!lessor.exists(id)) {
            return ApplyResult.failed(EtcdError.LEASE_NOT_FOUND, store.revision());
        }
        List<byte[]> keys = lessor.keysOf(id);
        long rev;
        List<Event> changes;
        try (MvccWriteTxn w = store.beginWrite()) {
            for (byte[] key : keys) {
                w.deleteRange(DeleteRangeRequest.of(key, new byte[0]));
            }
            LeaseStore.delete(w, id);
            w.setConsistentIndex(e.index(), e.term());
            changes = w.changes();
            rev = w.commit();
        }
        lessor.revoked(id);
        // Watchers (and lock waiters) see the deletions of a revoked or expired lease's keys.
        commits.committed(rev, changes);
        return ApplyResult.ok(null, rev);
    }

    ApplyResult checkpoint(Entry e, LeaseCheckpointRequest r) {
        long rev;
        try (MvccWriteTxn w = store.beginWrite()) {
            for (LeaseCheckpoint cp : r.getCheckpointsList()) {
                long ttl = lessor.ttlOf(cp.getID());
                if (ttl >= 0) {
                    LeaseStore.put(w, cp.getID(), ttl, cp.getRemainingTTL());
                }
            }
            w.setConsistentIndex(e.index(), e.term());
            rev = w.commit();
        }
        for (LeaseCheckpoint cp : r.getCheckpointsList()) {
            lessor.checkpointed(cp.getID(), cp.getRemainingTTL());
        }
        return ApplyResult.ok(null, rev);
    }
}
