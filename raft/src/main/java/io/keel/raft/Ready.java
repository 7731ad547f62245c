package io.keel.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * Work the application must do, handed out by {@link RawNode#ready()}. Immutable; thread-safe.
 *
 * <p>The contract, in order: (1) send {@link #messagesBeforePersist()} (may be skipped into step
 * 3, it only saves time); (2) persist {@link #snapshot()} if non-empty, {@link #entries()} and
 * {@link #hardState()} if non-null — durably when {@link #mustSync()}; (3) send
 * {@link #messagesAfterPersist()}; (4) apply {@link #committedEntries()} (and restore the
 * snapshot); (5) call {@link RawNode#advance(Ready)} with this same object.
 *
 * <p>Messages before persisting are only a leader's appends and heartbeats, and only when its term
 * and vote are already durable: a follower may store and acknowledge the entries while the leader
 * is still writing them (the Raft thesis, 10.2.1), which takes the leader's fsync off the critical
 * path. Safe because the leader counts its own copy toward a quorum only after {@code advance}
 * reports it persisted; everything that answers a peer (votes, append responses) still waits.
 *
 * @param softState        new leader/role, or null when unchanged
 * @param hardState        new hard state to persist, or null when unchanged
 * @param readStates       ReadIndex answers now ready
 * @param entries          entries to append to stable storage
 * @param snapshot         snapshot to persist and restore, or {@link Snapshot#EMPTY}
 * @param committedEntries entries to apply, in order
 * @param messages         every message to send (the union of the two lists below)
 * @param mustSync         whether the persistence in step (2) needs a durability barrier
 * @param leaderSendsFirst whether this Ready was made by a leader whose term and vote are durable
 */
public record Ready(SoftState softState, HardState hardState, List<ReadState> readStates,
                    List<Entry> entries, Snapshot snapshot, List<Entry> committedEntries,
                    List<Message> messages, boolean mustSync, boolean leaderSendsFirst) {
    public Ready {
        readStates = List.copyOf(readStates);
        entries = List.copyOf(entries);
        snapshot = snapshot == null ? Snapshot.EMPTY : snapshot;
        committedEntries = List.copyOf(committedEntries);
        messages = List.copyOf(messages);
    }

    /** The leader's appends and heartbeats, which may leave before the persistence of step (2). */
    public List<Message> messagesBeforePersist() {
        return leaderSendsFirst ? split(true) : List.of();
    }

    /** Every other message: sent only once step (2) is durable. */
    public List<Message> messagesAfterPersist() {
        return leaderSendsFirst ? split(false) : messages;
    }

    private List<Message> split(boolean early) {
        List<Message> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
            if (mayPrecedePersistence(m) == early) {
                out.add(m);
            }
        }
        return out;
    }

    private static boolean mayPrecedePersistence(Message m) {
        return m.type() == MessageType.APP || m.type() == MessageType.HEARTBEAT;
    }
}
