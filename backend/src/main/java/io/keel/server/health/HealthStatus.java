package io.keel.server.health;

import java.util.Objects;

/**
 * The outcome of a health check. Immutable value; thread-safe.
 *
 * @param healthy true when the check passed
 * @param reason  why it failed, in etcd's words where etcd has some ("RAFT NO LEADER"); empty when healthy
 */
public record HealthStatus(boolean healthy, String reason) {
    public static final HealthStatus OK = new HealthStatus(true, "");

    public HealthStatus {
        Objects.requireNonNull(reason, "reason");
    }

    public static HealthStatus failed(String reason) {
        return new HealthStatus(false, reason);
    }
}
