package io.keel.raft;

/** The requested index is beyond the last entry (etcd's ErrUnavailable). */
public final class UnavailableException extends RaftStorageException {
    private static final long serialVersionUID = 1L;

    public UnavailableException() {
        super("requested entry at index is unavailable");
    }
}
