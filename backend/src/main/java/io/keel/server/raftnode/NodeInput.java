package io.keel.server.raftnode;

import io.keel.raft.ConfChange;
import io.keel.raft.ConfState;
import io.keel.raft.Message;
import io.keel.raft.RaftStatus;
import io.keel.raft.SnapshotStatus;

import java.util.concurrent.CompletableFuture;

/** Work handed to the Raft thread through its bounded queue. Immutable values; thread-safe. */
sealed interface NodeInput {

    /** Completes when the entry is in the leader's log (not yet committed), or fails if dropped. */
    record Propose(byte[] data, CompletableFuture<Void> accepted) implements NodeInput {
    }

    record ProposeConfChange(ConfChange change, CompletableFuture<Void> accepted) implements NodeInput {
    }

    record Step(Message message) implements NodeInput {
    }

    /** Completes with a read index once leadership is confirmed. */
    record Read(CompletableFuture<Long> readIndex) implements NodeInput {
    }

    record TransferLeader(long transferee) implements NodeInput {
    }

    /** A connection to a peer stands now ({@link ElectionTickAdvance}). */
    record PeerActive(long peerId) implements NodeInput {
    }

    record Campaign() implements NodeInput {
    }

    record ReportUnreachable(long peerId) implements NodeInput {
    }

    record ReportSnapshot(long peerId, SnapshotStatus status) implements NodeInput {
    }

    /** From the apply thread: record a local snapshot and compact the log behind it. */
    record TakeSnapshot(long index, ConfState confState, byte[] data) implements NodeInput {
    }

    record Status(CompletableFuture<RaftStatus> status) implements NodeInput {
    }
}
