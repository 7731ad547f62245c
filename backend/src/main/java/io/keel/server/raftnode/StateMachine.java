package io.keel.server.raftnode;

import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.Snapshot;

import java.util.List;

/**
 * What committed entries are applied to (the MVCC store plus membership, leases, alarms).
 *
 * <p>Called only from the node's apply thread, in log order. Conf-change entries arrive here too
 * (to update the member list), each as the last entry of its batch: the state machine decides
 * whether the change still holds ({@link #confChangeRefused}), and Raft's own configuration changes
 * only after that, and only if it does.
 */
public interface StateMachine {

    /** Highest Raft index whose effects are durable in the state machine (etcd's consistent index). */
    long appliedIndex();

    /**
     * Applies {@code entries} in order. Entries at or below {@link #appliedIndex()} are re-deliveries
     * after a restart and must be skipped. {@code confState} is Raft's configuration after them, or
     * null when they end with a conf change (Raft's configuration follows the verdict).
     * On return {@link #appliedIndex()} equals the last entry's index (empty and conf-change
     * entries included).
     */
    void apply(List<Entry> entries, ConfState confState);

    /**
     * Highest Raft index whose effects survive a power loss, at most {@link #appliedIndex()}. A
     * local snapshot at index i makes a restart replay the log only after i, so the apply thread
     * snapshots (and Raft releases log entries) only up to this index. The default suits a state
     * machine that syncs every apply.
     */
    default long durableIndex() {
        return appliedIndex();
    }

    /** Flushes what is applied, so that {@link #durableIndex()} reaches {@link #appliedIndex()}. */
    default void sync() {
    }

    /**
     * Nanoseconds until applied changes held back from disk (a deferred commit) are due to be
     * committed, {@code <= 0} if overdue, {@link Long#MAX_VALUE} if none are held back. The apply
     * thread waits for work at most this long, then calls {@link #commitPending()}.
     */
    default long pendingCommitDelayNanos() {
        return Long.MAX_VALUE;
    }

    /** Commits what applying held back (a deferred commit); nothing if there is none. */
    default void commitPending() {
    }

    /**
     * Whether the conf change at {@code index}, already applied (now or before a restart), was
     * refused: then it changed nothing and Raft's configuration must not take it either. Asked on
     * the apply thread right after the batch that ends with it, and at restart for the conf changes
     * Raft re-applies without re-delivering them. The default suits a state machine that refuses
     * none.
     */
    default boolean confChangeRefused(long index) {
        return false;
    }

    /** Replaces the whole state with the leader's snapshot. */
    void restore(Snapshot snapshot);

    /** Serialises the current state for a local Raft snapshot at {@link #appliedIndex()}. */
    byte[] snapshotData();
}
