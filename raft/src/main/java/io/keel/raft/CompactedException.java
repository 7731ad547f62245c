package io.keel.raft;

/** The requested index is covered by a snapshot and no longer in the log (etcd's ErrCompacted). */
public final class CompactedException extends RaftStorageException {
    private static final long serialVersionUID = 1L;

    public CompactedException() {
        super("requested index is unavailable due to compaction");
    }
}
