package io.keel.server.lease;

/**
 * What the {@link Lessor} reports for etcd's lease metrics
 * ({@code etcd_debugging_lease_*}, {@code etcd_debugging_server_lease_expired_total}), so the
 * lease code knows no metrics library. Called at the points where etcd's lessor and server count.
 *
 * <p>Implementations must be thread-safe, cheap and non-blocking: grant and revoke come from the
 * apply thread, renewals from the thread answering a keep-alive; all under the lessor's monitor.
 */
public interface LeaseObserver {
    /** Records nothing: the lessor's default. */
    LeaseObserver NONE = new LeaseObserver() {
    };

    /** A committed grant created a lease running for {@code ttlSeconds} (on every member). */
    default void granted(long ttlSeconds) {
    }

    /** A committed revoke (asked for or of an expired lease) removed a lease (on every member). */
    default void revoked() {
    }

    /** The leader renewed a lease on a keep-alive. */
    default void renewed() {
    }

    /**
     * The primary applied the revoke of a lease it had found expired (the {@link LeaseKeeper}
     * proposes those): etcd counts an expiry once that revoke went through.
     */
    default void expired() {
    }
}
