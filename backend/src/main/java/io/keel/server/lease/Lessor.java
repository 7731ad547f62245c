package io.keel.server.lease;

import io.keel.storage.mvcc.Event;
import io.keel.storage.mvcc.KeyValue;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.RangeRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The member's leases, as etcd's lessor: which leases exist, which keys each holds, and — on the
 * leader only (the "primary") — when each expires. Followers keep every lease alive forever and
 * never expire one: expiry is the leader's decision, committed through Raft as a revoke.
 *
 * <p>Lease existence and keys change only on the apply thread (grant, revoke, checkpoint and key
 * changes of applied writes); deadlines change on renewals and on promotion/demotion. Thread-safe:
 * every method holds the lessor's monitor briefly and never blocks.
 */
public final class Lessor {
    /** etcd's MaxLeaseTTL: 9,000,000,000 seconds. */
    public static final long MAX_TTL_SECONDS = 9_000_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final LongSupplier nanoClock;
    private final long minTtlSeconds;
    private final Map<Long, Lease> leases = new HashMap<>();
    /** Which lease each leased key is attached to. */
    private final TreeMap<byte[], Long> itemMap = new TreeMap<>(Arrays::compareUnsigned);
    private boolean primary;
    /** Leases this primary found expired and handed out for revoking: their revoke counts as an expiry. */
    private final Set<Long> expiring = new HashSet<>();
    private volatile LeaseObserver observer = LeaseObserver.NONE;

    /**
     * @param nanoClock     monotonic time in nanoseconds (System::nanoTime in production)
     * @param minTtlSeconds etcd's minimum TTL: a grant below it gets it
     */
    public Lessor(LongSupplier nanoClock, long minTtlSeconds) {
        if (minTtlSeconds <= 0) {
            throw new IllegalArgumentException("minimum TTL must be > 0: " + minTtlSeconds);
        }
        this.nanoClock = nanoClock;
        this.minTtlSeconds = minTtlSeconds;
    }

    /** Reports grants, revokes, renewals and expiries to {@code observer} (etcd's lease metrics). */
    public void setObserver(LeaseObserver observer) {
        this.observer = java.util.Objects.requireNonNull(observer, "observer");
    }

    /** etcd's rule: the minimum TTL is 1.5 election timeouts, rounded up to whole seconds. */
    public static long minTtlSeconds(long electionTicks, long heartbeatMillis) {
        long minTtlMillis = (3 * electionTicks) / 2 * heartbeatMillis;
        return Math.max(1, (minTtlMillis + 999) / 1000);
    }

    public synchronized boolean exists(long id) {
        return leases.containsKey(id);
    }

    /** The TTL a grant of {@code requested} seconds gets. */
    public long effectiveTtl(long requestedSeconds) {
        return Math.max(requestedSeconds, minTtlSeconds);
    }

    // ---- apply thread: the replicated state ----

    /** A committed grant (apply thread). On the primary the lease starts running at once. */
    public synchronized void granted(long id, long ttlSeconds, long remainingTtlSeconds) {
        Lease lease = new Lease(id, ttlSeconds, remainingTtlSeconds);
        if (primary) {
            lease.expiryNanos = deadline(lease.refreshTtlSeconds(), 0);
        }
        leases.put(id, lease);
        observer.granted(ttlSeconds);
    }

    /** The keys attached to {@code id}, in key order; empty if there is no such lease. */
    public synchronized List<byte[]> keysOf(long id) {
        Lease lease = leases.get(id);
        return lease == null ? List.of() : new ArrayList<>(lease.keys);
    }

    /** A committed revoke (apply thread): the lease and its attachments are gone. */
    public synchronized void revoked(long id) {
        Lease lease = leases.remove(id);
        if (lease != null) {
            lease.keys.forEach(itemMap::remove);
            observer.revoked();
            if (expiring.remove(id)) {
                observer.expired();
            }
        }
    }

    /** A committed checkpoint (apply thread): the remaining TTL a future leader starts from. */
    public synchronized void checkpointed(long id, long remainingTtlSeconds) {
        Lease lease = leases.get(id);
        if (lease != null) {
            lease.remainingTtlSeconds = remainingTtlSeconds;
        }
    }

    /** The granted TTL of {@code id}, or -1 if there is no such lease. */
    public synchronized long ttlOf(long id) {
        Lease lease = leases.get(id);
        return lease == null ? -1 : lease.ttlSeconds;
    }

    /** The first lease named by a put in {@code changes} that does not exist, or 0 if none. */
    public synchronized long missingLease(List<Event> changes) {
        for (Event e : changes) {
            long lease = e.kv().lease();
            if (e.type() == Event.Type.PUT && lease != 0 && !leases.containsKey(lease)) {
                return lease;
            }
        }
        return 0;
    }

    /** Follows the key changes of a committed write (apply thread): attach, move or detach keys. */
    public synchronized void keysChanged(List<Event> changes) {
        for (Event e : changes) {
            byte[] key = e.kv().key();
            long now = e.type() == Event.Type.PUT ? e.kv().lease() : 0;
            Long before = now == 0 ? itemMap.remove(key) : itemMap.put(key, now);
            if (before != null && before != now) {
                Lease old = leases.get(before);
                if (old != null) {
                    old.keys.remove(key);
                }
            }
            if (now != 0) {
                leases.get(now).keys.add(key);
            }
        }
    }

    /** Rebuilds everything from the store (start and snapshot restore); deadlines restart. */
    public synchronized void reload(MvccStore store) {
        leases.clear();
        expiring.clear();
        itemMap.clear();
        for (Map.Entry<byte[], byte[]> e : store.readAux(LeaseStore.BUCKET)) {
            long id = LeaseStore.id(e.getKey());
            Lease lease = new Lease(id, LeaseStore.ttl(e.getValue()), LeaseStore.remaining(e.getValue()));
            if (primary) {
                lease.expiryNanos = deadline(lease.refreshTtlSeconds(), 0);
            }
            leases.put(id, lease);
        }
        if (leases.isEmpty()) {
            return; // no key can be attached: skip reading every key (a restart with a million keys)
        }
        var all = store.range(RangeRequest.builder(new byte[] {0}).fromKey().keysOnly(true).build());
        for (KeyValue kv : all.kvs()) {
            Lease lease = kv.lease() == 0 ? null : leases.get(kv.lease());
            if (lease != null) {
                lease.keys.add(kv.key());
                itemMap.put(kv.key(), kv.lease());
            }
        }
    }

    // ---- the primary (leader) side ----

    public synchronized boolean isPrimary() {
        return primary;
    }

    /**
     * Becomes the primary: every lease runs from now for its remaining (checkpointed) or full TTL,
     * plus {@code extendNanos} so that leases are not lost to the election itself (etcd extends
     * by one election timeout).
     */
    public synchronized void promote(long extendNanos) {
        if (primary) {
            return;
        }
        primary = true;
        for (Lease lease : leases.values()) {
            lease.expiryNanos = deadline(lease.refreshTtlSeconds(), extendNanos);
        }
    }

    /** Stops being the primary: no lease expires here any more. */
    public synchronized void demote() {
        if (!primary) {
            return;
        }
        primary = false;
        expiring.clear();
        for (Lease lease : leases.values()) {
            lease.expiryNanos = Lease.FOREVER;
        }
    }

    /**
     * Renews {@code id} on the primary. Returns the TTL it runs for again, or -1 if there is no
     * such lease or it has expired (etcd answers a keep-alive of those with TTL 0). Throws
     * {@link NotPrimaryException} on a member that is not the primary.
     */
    public synchronized Renewal renew(long id) {
        if (!primary) {
            throw new NotPrimaryException();
        }
        Lease lease = leases.get(id);
        if (lease == null || lease.expired(nanoClock.getAsLong())) {
            return new Renewal(-1, false);
        }
        boolean clearCheckpoint = lease.remainingTtlSeconds > 0;
        lease.remainingTtlSeconds = 0;
        lease.expiryNanos = deadline(lease.ttlSeconds, 0);
        observer.renewed();
        return new Renewal(lease.ttlSeconds, clearCheckpoint);
    }

    /** Time-to-live of {@code id} as the primary sees it, or null if there is no such lease. */
    public synchronized LeaseInfo timeToLive(long id, boolean withKeys) {
        Lease lease = leases.get(id);
        if (lease == null) {
            return null;
        }
        List<byte[]> keys = withKeys ? new ArrayList<>(lease.keys) : List.of();
        return new LeaseInfo(id, lease.remainingSeconds(nanoClock.getAsLong()), lease.ttlSeconds, keys);
    }

    /** Up to {@code max} leases whose deadline has passed (primary only; empty elsewhere). */
    public synchronized List<Long> expired(int max) {
        List<Long> out = new ArrayList<>();
        if (!primary) {
            return out;
        }
        long now = nanoClock.getAsLong();
        for (Lease lease : leases.values()) {
            if (out.size() >= max) {
                break;
            }
            if (lease.expired(now)) {
                out.add(lease.id);
                expiring.add(lease.id);
            }
        }
        return out;
    }

    /**
     * The remaining TTLs worth persisting (primary only): leases that have run down by at least
     * {@code minProgressSeconds} since their last checkpoint or renewal, so that a new leader
     * neither extends them to a fresh TTL nor lets them expire early.
     */
    public synchronized List<long[]> checkpoints(long minProgressSeconds, int max) {
        List<long[]> out = new ArrayList<>();
        if (!primary) {
            return out;
        }
        long now = nanoClock.getAsLong();
        for (Lease lease : leases.values()) {
            if (out.size() >= max) {
                break;
            }
            // Rounded up: a new leader must never expire a lease before its time.
            long remaining = lease.remainingSecondsRoundedUp(now);
            if (remaining > 0 && lease.refreshTtlSeconds() - remaining >= minProgressSeconds) {
                out.add(new long[] {lease.id, remaining});
            }
        }
        return out;
    }

    /** Every lease id (etcd's LeaseLeases). */
    public synchronized List<Long> ids() {
        return new ArrayList<>(leases.keySet());
    }

    private long deadline(long ttlSeconds, long extendNanos) {
        long now = nanoClock.getAsLong();
        long ttlNanos = ttlSeconds >= Long.MAX_VALUE / NANOS_PER_SECOND ? Long.MAX_VALUE / 2 : ttlSeconds * NANOS_PER_SECOND;
        return now + Math.min(ttlNanos + extendNanos, Long.MAX_VALUE / 2);
    }

    /**
     * The result of a renewal.
     *
     * @param ttlSeconds      the TTL the lease runs for again, -1 if not found or expired
     * @param clearCheckpoint whether a checkpoint was set and must be cleared through Raft
     */
    public record Renewal(long ttlSeconds, boolean clearCheckpoint) {
    }
}
