package io.keel.storage.wal;

import java.nio.file.Path;

/**
 * The log is damaged before its durable point: a record that was acknowledged (or that is followed
 * by valid records) fails its checks. The member must stop; an operator restores it from a peer.
 * Thrown by recovery and by reads of old entries. Unchecked; immutable.
 */
public final class WalCorruptionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WalCorruptionException(Path file, long raftIndex, String detail) {
        super("wal: corrupt record in " + file + " at raft index " + (raftIndex < 0 ? "unknown" : Long.toString(raftIndex))
                + ": " + detail + "; the member must stop");
    }

    public WalCorruptionException(String message) {
        super(message);
    }
}
