package io.keel.server.lease;

import io.keel.api.etcdserverpb.LeaseCheckpoint;
import io.keel.api.etcdserverpb.LeaseCheckpointRequest;
import io.keel.api.etcdserverpb.LeaseRevokeRequest;
import io.keel.api.internal.v1.InternalRequest;
import io.keel.server.raftnode.NodeState;
import io.keel.server.raftnode.RaftNode;
import io.keel.server.request.Proposer;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The leader's side of leases, as etcd's lessor loop: makes the lessor primary once this member
 * leads and has applied what was committed before, demotes it the moment leadership is lost,
 * proposes a revoke for every expired lease (at most {@link #MAX_REVOKES_IN_FLIGHT} at a time),
 * and checkpoints remaining TTLs through Raft every checkpoint interval so that a new leader
 * neither extends a lease nor lets it expire early.
 *
 * <p>Runs on the member's timer thread; {@link #promoteIfLeader} may be called from any thread.
 * Thread-safe.
 */
public final class LeaseKeeper {
    static final int MAX_REVOKES_IN_FLIGHT = 1_000;
    static final int MAX_CHECKPOINTS_PER_PROPOSAL = 1_000;
    private static final long TICK_MILLIS = 100;

    private final RaftNode node;
    private final Lessor lessor;
    private final Proposer proposer;
    private final long extendNanos;
    private final long checkpointIntervalNanos;
    private final Set<Long> revoking = ConcurrentHashMap.newKeySet();
    private long lastCheckpointNanos = System.nanoTime();

    /**
     * @param extendNanos              added to every lease when this member becomes primary (etcd:
     *                                 one election timeout)
     * @param checkpointIntervalMillis {@code --experimental-lease-checkpoint-interval}
     */
    public LeaseKeeper(RaftNode node, Lessor lessor, Proposer proposer, long extendNanos,
                       long checkpointIntervalMillis) {
        this.node = node;
        this.lessor = lessor;
        this.proposer = proposer;
        this.extendNanos = extendNanos;
        this.checkpointIntervalNanos = TimeUnit.MILLISECONDS.toNanos(checkpointIntervalMillis);
    }

    public void start(ScheduledExecutorService timers) {
        node.addStateListener(s -> {
            if (!s.isLeader()) {
                lessor.demote();
            }
        });
        timers.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Promotes the lessor if this member leads and has applied every entry committed so far. */
    public void promoteIfLeader() {
        NodeState s = node.state();
        if (s.isLeader() && !lessor.isPrimary() && node.applied().applied() >= s.commit()) {
            lessor.promote(extendNanos);
        }
    }

    private void tick() {
        try {
            if (!node.state().isLeader()) {
                lessor.demote();
                return;
            }
            promoteIfLeader();
            if (!lessor.isPrimary()) {
                return;
            }
            revokeExpired();
            long now = System.nanoTime();
            if (now - lastCheckpointNanos >= checkpointIntervalNanos) {
                lastCheckpointNanos = now;
                checkpoint();
            }
        } catch (RuntimeException e) {
            // A failed proposal is retried on the next tick; the timer thread must survive it.
        }
    }

    private void revokeExpired() {
        int room = MAX_REVOKES_IN_FLIGHT - revoking.size();
        if (room <= 0) {
            return;
        }
        for (long id : lessor.expired(room)) {
            if (revoking.add(id)) {
                proposer.propose(InternalRequest.newBuilder().setLeaseRevoke(LeaseRevokeRequest.newBuilder().setID(id)))
                        .whenComplete((r, err) -> revoking.remove(id));
            }
        }
    }

    private void checkpoint() {
        List<long[]> due = lessor.checkpoints(1, Integer.MAX_VALUE);
        for (int from = 0; from < due.size(); from += MAX_CHECKPOINTS_PER_PROPOSAL) {
            var batch = LeaseCheckpointRequest.newBuilder();
            for (long[] cp : due.subList(from, Math.min(due.size(), from + MAX_CHECKPOINTS_PER_PROPOSAL))) {
                batch.addCheckpoints(LeaseCheckpoint.newBuilder().setID(cp[0]).setRemainingTTL(cp[1]));
            }
            proposer.propose(InternalRequest.newBuilder().setLeaseCheckpoint(batch));
        }
    }
}
