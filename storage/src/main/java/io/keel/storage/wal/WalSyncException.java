package io.keel.storage.wal;

/**
 * A durability barrier (msync or fsync) failed. The data may or may not be on disk, so the member
 * cannot promise anything it acknowledges from here on: the server must stop the member. Thrown by
 * the write path of the log and of the snapshot files. Unchecked; immutable.
 */
public final class WalSyncException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WalSyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
