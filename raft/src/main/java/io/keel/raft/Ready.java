package io.keel.raft;

import java.util.List;

/**
 * Work the application must do, handed out by {@link RawNode#ready()}. Immutable; thread-safe.
 *
 * <p>The contract, in order: (1) persist {@link #snapshot()} if non-empty, {@link #entries()} and
 * {@link #hardState()} if non-null — durably when {@link #mustSync()}; (2) send {@link #messages()};
 * (3) apply {@link #committedEntries()} (and restore the snapshot); (4) call
 * {@link RawNode#advance(Ready)} with this same object.
 *
 * @param softState        new leader/role, or null when unchanged
 * @param hardState        new hard state to persist, or null when unchanged
 * @param readStates       ReadIndex answers now ready
 * @param entries          entries to append to stable storage before sending messages
 * @param snapshot         snapshot to persist and restore, or {@link Snapshot#EMPTY}
 * @param committedEntries entries to apply, in order
 * @param messages         messages to send after persisting
 * @param mustSync         whether the persistence in step (1) needs a durability barrier
 */
public record Ready(SoftState softState, HardState hardState, List<ReadState> readStates,
                    List<Entry> entries, Snapshot snapshot, List<Entry> committedEntries,
                    List<Message> messages, boolean mustSync) {
    public Ready {
        readStates = List.copyOf(readStates);
        entries = List.copyOf(entries);
        snapshot = snapshot == null ? Snapshot.EMPTY : snapshot;
        committedEntries = List.copyOf(committedEntries);
        messages = List.copyOf(messages);
    }
}
