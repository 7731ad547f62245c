package io.keel.server.raftnode;

import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.Snapshot;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Work handed from the Raft thread to the apply thread, in log order. Immutable; thread-safe. */
sealed interface ApplyTask {

    /** Committed entries, with Raft's configuration after them. */
    record Entries(List<Entry> entries, ConfState confState) implements ApplyTask {
    }

    /**
     * Committed entries ending with a conf change, which the Raft thread applies to its
     * configuration only once the apply thread has said, through {@code accepted}, that the state
     * machine took it ({@link StateMachine#confChangeRefused}). A {@link Configured} follows.
     */
    record ConfChangeEntries(List<Entry> entries, CompletableFuture<Boolean> accepted) implements ApplyTask {
    }

    /** Raft's configuration after the conf change at {@code index}, as the Raft thread left it. */
    record Configured(long index, ConfState confState) implements ApplyTask {
    }

    /** A snapshot from the leader that replaces the state. */
    record Restore(Snapshot snapshot) implements ApplyTask {
    }

    /**
     * Raft asked to send a snapshot to a peer: send one of the state applied so far instead of
     * the stored one (etcd's merged snapshot), so its configuration includes members added since.
     */
    record SendSnapshot(io.keel.raft.Message message) implements ApplyTask {
    }

    /** Ends the apply thread after everything queued before it. */
    record Stop() implements ApplyTask {
    }
}
