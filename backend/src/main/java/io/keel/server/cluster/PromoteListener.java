package io.keel.server.cluster;

/**
 * Learns the outcome of each learner promotion this member decided itself (as leader), for etcd's
 * {@code etcd_server_learner_promote_successes} and {@code etcd_server_learner_promote_failures};
 * promotions forwarded to the leader are counted there, as etcd does. Implementations must be
 * thread-safe and non-blocking (called on whichever thread completes the promotion).
 */
public interface PromoteListener {
    /** Records nothing: the default. */
    PromoteListener NONE = new PromoteListener() {
    };

    default void promoted() {
    }

    /** @param reason the error's text, as etcd's {@code Reason} label */
    default void failed(String reason) {
    }
}
