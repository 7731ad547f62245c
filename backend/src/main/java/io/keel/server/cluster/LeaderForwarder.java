package io.keel.server.cluster;

import io.keel.api.etcdserverpb.Member;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Sends a request only the leader can judge to the leader over the peer port, as etcd's
 * followers do for MemberPromote (only the leader knows how far a learner's log has come).
 * Implementations are thread-safe and never block the caller.
 */
public interface LeaderForwarder {
    /**
     * Asks {@code leader} to promote {@code learnerId}; completes with the member list after the
     * promotion, or fails with the {@link io.keel.server.errors.EtcdException} the leader gave.
     */
    CompletionStage<List<Member>> promote(Member leader, long learnerId);

    /** For members that never forward (tests, single-member setups): always "no leader". */
    LeaderForwarder NONE = (leader, id) -> java.util.concurrent.CompletableFuture.failedFuture(
            new io.keel.server.errors.EtcdException(io.keel.server.errors.EtcdError.NO_LEADER));
}
