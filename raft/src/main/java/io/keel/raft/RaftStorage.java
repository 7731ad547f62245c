package io.keel.raft;

import java.util.List;

/**
 * How the Raft core reads its log. Raft only reads; the application writes (appends entries from
 * {@link Ready#entries()}, saves hard state and snapshots) before calling {@link RawNode#advance}.
 *
 * <p>Implementations are owned by the application; the core calls them only from the thread that
 * drives the {@link RawNode}, but the application may write from that same thread, so
 * implementations need not be thread-safe unless the application reads them elsewhere.
 *
 * <p>Index conventions (as etcd's raft.Storage): the log holds entries
 * {@code [firstIndex(), lastIndex()]}; {@code firstIndex() - 1} is the index of the last snapshot
 * (or 0), whose term is still answered by {@link #term(long)}.
 */
public interface RaftStorage {

    /** Hard state and configuration saved last; {@link HardState#EMPTY} and the empty config when new. */
    InitialState initialState();

    /**
     * Entries {@code [lo, hi)}, truncated so that their total {@link Entry#sizeBytes()} stays within
     * {@code maxSizeBytes}, but always at least one entry when {@code lo < hi}.
     *
     * @throws CompactedException   when {@code lo <= snapshot index}
     * @throws UnavailableException when {@code hi > lastIndex() + 1}
     */
    List<Entry> entries(long lo, long hi, long maxSizeBytes);

    /**
     * Term of the entry at {@code index}; valid for {@code [firstIndex()-1, lastIndex()]}.
     *
     * @throws CompactedException   when {@code index < firstIndex() - 1}
     * @throws UnavailableException when {@code index > lastIndex()}
     */
    long term(long index);

    /** Index of the last entry; the snapshot index when the log is empty. */
    long lastIndex();

    /** Index of the first entry still available; snapshot index + 1. */
    long firstIndex();

    /**
     * The most recent snapshot.
     *
     * @throws SnapshotTemporarilyUnavailableException when one is being built; Raft retries later
     */
    Snapshot snapshot();
}
