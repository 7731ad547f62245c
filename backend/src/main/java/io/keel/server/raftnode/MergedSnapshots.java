package io.keel.server.raftnode;

import io.keel.raft.ConfState;
import io.keel.raft.Message;
import io.keel.raft.MessageType;
import io.keel.raft.Snapshot;
import io.keel.raft.SnapshotMetadata;

import java.util.ArrayList;
import java.util.List;

/**
 * etcd's merged snapshot: when Raft asks to send its stored snapshot to a peer, the member sends
 * instead the state applied so far with the configuration at that point. The stored snapshot
 * may predate the peer's own addition; its configuration would then lack the peer, which
 * ignores it and never catches up once the log before it is compacted (raft/SIM_FINDINGS.md,
 * finding 1). Stateless; thread-safe.
 */
final class MergedSnapshots {
    private MergedSnapshots() {
    }

    /** The messages to send as they are: all but snapshots. */
    static List<Message> withoutSnapshots(List<Message> messages) {
        if (messages.stream().noneMatch(m -> m.type() == MessageType.SNAP)) {
            return messages;
        }
        List<Message> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
            if (m.type() != MessageType.SNAP) {
                out.add(m);
            }
        }
        return out;
    }

    /** The snapshot messages, to be rebuilt on the apply thread. */
    static List<Message> snapshots(List<Message> messages) {
        List<Message> out = new ArrayList<>(0);
        for (Message m : messages) {
            if (m.type() == MessageType.SNAP) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * {@code original} carrying the applied state instead (also at the stored snapshot's own index:
     * local snapshots carry no data), or {@code original} itself when the stored snapshot is newer.
     */
    static Message merge(Message original, long appliedIndex, long appliedTerm, ConfState confState, byte[] data) {
        if (appliedIndex < original.snapshot().metadata().index() || appliedTerm == 0 || confState == null) {
            return original;
        }
        Snapshot merged = new Snapshot(new SnapshotMetadata(confState, appliedIndex, appliedTerm), data);
        return new Message(original.type(), original.to(), original.from(), original.term(), original.logTerm(),
                original.index(), original.entries(), original.commit(), merged, original.reject(),
                original.rejectHint(), original.context(), original.commitOnly());
    }
}
