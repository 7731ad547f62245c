package io.keel.server.health;

/**
 * The named checks behind {@code /livez} and {@code /readyz}, spelled as etcd spells them.
 * Immutable; thread-safe.
 */
public enum HealthCheckName {
    DATA_CORRUPTION("data_corruption"),
    SERIALIZABLE_READ("serializable_read"),
    LINEARIZABLE_READ("linearizable_read"),
    NON_LEARNER("non_learner");

    private final String wireName;

    HealthCheckName(String wireName) {
        this.wireName = wireName;
    }

    /** The name in URLs ({@code /readyz/serializable_read}) and in {@code [+]name ok} lines. */
    public String wireName() {
        return wireName;
    }
}
