package io.keel.storage.snap;

/**
 * A snapshot or hard-state file fails its checksum or structure. Thrown by the readers in this
 * package; unchecked; immutable.
 */
public final class SnapshotFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SnapshotFormatException(String message) {
        super(message);
    }
}
