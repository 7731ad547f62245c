package io.keel.server.lock;

import io.keel.api.etcdserverpb.LeaseGrantRequest;
import io.keel.api.etcdserverpb.LeaseGrantResponse;
import io.keel.server.errors.EtcdError;
import io.keel.server.lease.LeaseBackend;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The lease a Lock or Campaign call holds its key with. etcd's v3lock and v3election servers open
 * a concurrency session per call and orphan it at once: the caller's lease when it names one, and
 * for lease 0 a fresh lease with the session's default TTL of 60 seconds that nobody keeps alive,
 * so such a lock or candidacy lasts 60 seconds unless released earlier. Thread-safe if the grant
 * function is.
 */
public final class SessionLease {
    /** concurrency.NewSession's default TTL. */
    public static final long DEFAULT_TTL_SECONDS = 60;

    private final Function<LeaseGrantRequest, CompletionStage<LeaseGrantResponse>> grant;

    public SessionLease(Function<LeaseGrantRequest, CompletionStage<LeaseGrantResponse>> grant) {
        this.grant = Objects.requireNonNull(grant, "grant");
    }

    /** Sessions on the member's Lease service (through Raft, forwarded to the leader as a Grant is). */
    public static SessionLease on(LeaseBackend leases) {
        return new SessionLease(leases::grant);
    }

    /** Without a Lease service no lease can be granted: lease 0 is then a lease that does not exist. */
    public static SessionLease unavailable() {
        return new SessionLease(r -> CompletableFuture.failedFuture(EtcdError.LEASE_NOT_FOUND.exception()));
    }

    /** {@code lease} itself, or for 0 the id of a freshly granted 60-second lease. */
    public CompletionStage<Long> resolve(long lease) {
        if (lease != 0) {
            return CompletableFuture.completedFuture(lease);
        }
        return grant.apply(LeaseGrantRequest.newBuilder().setTTL(DEFAULT_TTL_SECONDS).build())
                .thenApply(LeaseGrantResponse::getID);
    }
}
