package io.keel.server.metrics;

/**
 * The member state that etcd's gauges show, read at scrape time. Implemented by the server's
 * wiring over the Raft node and the MVCC store; every method must be cheap, non-blocking and
 * thread-safe (a scrape runs on a worker thread).
 */
public interface MemberGauges {
    /** A member with nothing wired (a bare server): no leader, nothing committed. */
    MemberGauges NONE = new MemberGauges() {
    };

    default long memberId() {
        return 0;
    }

    default boolean hasLeader() {
        return false;
    }

    default boolean isLeader() {
        return false;
    }

    default boolean isLearner() {
        return false;
    }

    default long committedIndex() {
        return 0;
    }

    default long appliedIndex() {
        return 0;
    }

    default long pendingProposals() {
        return 0;
    }

    default long quotaBackendBytes() {
        return 0;
    }

    default long dbSizeBytes() {
        return 0;
    }

    default long dbSizeInUseBytes() {
        return 0;
    }

    default long currentRevision() {
        return 0;
    }

    default long compactRevision() {
        return 0;
    }
}
