package io.keel.raft;

/** A snapshot is being built; Raft will ask again (etcd's ErrSnapshotTemporarilyUnavailable). */
public final class SnapshotTemporarilyUnavailableException extends RaftStorageException {
    private static final long serialVersionUID = 1L;

    public SnapshotTemporarilyUnavailableException() {
        super("snapshot is temporarily unavailable");
    }
}
