package io.keel.server.lease;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * One lease as the {@link Lessor} tracks it. Mutable; owned and guarded by its {@link Lessor}.
 */
final class Lease {
    /** Expiry of a lease on a member that is not the primary lessor: never. */
    static final long FOREVER = Long.MAX_VALUE;

    final long id;
    /** Granted TTL in seconds, after the minimum TTL rule. */
    final long ttlSeconds;
    /** Remaining TTL in seconds from the last checkpoint; 0 when none (the full TTL applies). */
    long remainingTtlSeconds;
    /** Monotonic deadline in nanoseconds on the primary; {@link #FOREVER} elsewhere. */
    long expiryNanos = FOREVER;
    /** Attached keys, ordered as the store orders them (unsigned bytes). */
    final Set<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);

    Lease(long id, long ttlSeconds, long remainingTtlSeconds) {
        this.id = id;
        this.ttlSeconds = ttlSeconds;
        this.remainingTtlSeconds = remainingTtlSeconds;
    }

    /** The TTL a refresh starts from: the checkpointed remainder when there is one. */
    long refreshTtlSeconds() {
        return remainingTtlSeconds > 0 ? remainingTtlSeconds : ttlSeconds;
    }

    boolean expired(long nowNanos) {
        return expiryNanos != FOREVER && nowNanos >= expiryNanos;
    }

    /** Whole seconds left on the primary (etcd truncates), never below 0. */
    long remainingSeconds(long nowNanos) {
        if (expiryNanos == FOREVER) {
            return ttlSeconds;
        }
        return Math.max(0, (expiryNanos - nowNanos) / 1_000_000_000L);
    }

    /** Seconds left on the primary rounded up, never below 0: what a checkpoint may persist. */
    long remainingSecondsRoundedUp(long nowNanos) {
        if (expiryNanos == FOREVER) {
            return ttlSeconds;
        }
        return Math.max(0, (expiryNanos - nowNanos + 999_999_999L) / 1_000_000_000L);
    }
}
