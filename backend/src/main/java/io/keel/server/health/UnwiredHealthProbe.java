package io.keel.server.health;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The truthful answer of a server whose Raft node and store are not wired in yet: there is no
 * leader and no read can be served, so every health check fails. Stateless; thread-safe.
 */
public final class UnwiredHealthProbe implements HealthProbe {
    /** etcd's reason when a member knows no leader. */
    public static final String NO_LEADER_REASON = "RAFT NO LEADER";
    static final String NOT_WIRED = "keel: the key-value path (Raft and MVCC) is not wired into this server yet";

    @Override
    public CompletionStage<HealthStatus> health(boolean serializable, Set<String> excludedAlarms) {
        return CompletableFuture.completedFuture(HealthStatus.failed(NO_LEADER_REASON));
    }

    @Override
    public CompletionStage<HealthStatus> check(HealthCheckName name) {
        return CompletableFuture.completedFuture(switch (name) {
            case DATA_CORRUPTION, NON_LEARNER -> HealthStatus.OK;
            case SERIALIZABLE_READ, LINEARIZABLE_READ -> HealthStatus.failed(NOT_WIRED);
        });
    }
}
