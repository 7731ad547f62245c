package io.keel.server.health;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * What the HTTP health endpoints and gRPC health service ask. The Raft node implements it once
 * wired (leader known, alarms, a real serializable/linearizable read); until then
 * {@link UnwiredHealthProbe} answers. Called on an event loop: must not block. Implementations must
 * be thread-safe.
 */
public interface HealthProbe {
    /**
     * The {@code /health} verdict, as etcd computes it: alarms (minus {@code excludedAlarms}), then a
     * known leader, then a read of the store ({@code serializable} skips the read barrier).
     */
    CompletionStage<HealthStatus> health(boolean serializable, Set<String> excludedAlarms);

    /** One named check of {@code /livez} or {@code /readyz}. */
    CompletionStage<HealthStatus> check(HealthCheckName name);
}
