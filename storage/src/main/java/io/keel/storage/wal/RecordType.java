package io.keel.storage.wal;

/**
 * The kinds of record in the write-ahead log. Immutable; thread-safe. The byte codes are part of
 * the on-disk format: never renumber them.
 */
public enum RecordType {
    /** A Raft entry of type NORMAL: term, index and payload. */
    ENTRY_NORMAL(1),
    /** A Raft entry of type CONF_CHANGE: term, index and the encoded change. */
    ENTRY_CONF_CHANGE(2),
    /** A hard state: term, commit (in the index field) and vote (8-byte payload). */
    HARD_STATE(3),
    /** Logical truncation: every entry at or above {@code index} written before it is discarded. */
    TRUNCATE(4),
    /**
     * A snapshot was made durable at (term, index). Payload byte 1 means the log was replaced by
     * it (a follower installing the leader's snapshot); 0 means a local snapshot of applied state.
     */
    SNAPSHOT(5);

    private final byte code;

    RecordType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The type with this on-disk code, or null when the code is unknown (a corrupt record). */
    public static RecordType ofCode(byte code) {
        for (RecordType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    public boolean isEntry() {
        return this == ENTRY_NORMAL || this == ENTRY_CONF_CHANGE;
    }
}
