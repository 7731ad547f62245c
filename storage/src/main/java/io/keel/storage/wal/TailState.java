package io.keel.storage.wal;

/** How a recovery scan found the end of the log. Immutable; thread-safe. */
public enum TailState {
    /** The last record is followed by a clean end of data. */
    CLEAN,
    /**
     * The end is damaged after the last valid record (a torn or half-written record, a gap of
     * lost pages, index structures pointing past the data, or an unused new cycle file); the
     * valid prefix must be rewritten before appending.
     */
    DAMAGED
}
