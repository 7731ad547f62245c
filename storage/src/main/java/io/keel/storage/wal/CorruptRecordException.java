package io.keel.storage.wal;

/**
 * A record failed its checksum or structural checks. Thrown by {@link RecordCodec}; recovery
 * decides whether it is a torn tail (cut) or corruption (fatal). Unchecked; immutable.
 */
public final class CorruptRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptRecordException(String message) {
        super(message);
    }
}
