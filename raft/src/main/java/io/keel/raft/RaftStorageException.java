package io.keel.raft;

/** Base of the documented {@link RaftStorage} errors. Unchecked; thread-safe. */
public abstract class RaftStorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected RaftStorageException(String message) {
        super(message, null, false, false);
    }
}
