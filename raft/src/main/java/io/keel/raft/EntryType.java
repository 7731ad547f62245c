package io.keel.raft;

/** The kind of a log entry. Immutable; thread-safe. */
public enum EntryType {
    /** Application data; an empty payload is the no-op a new leader appends in its term. */
    NORMAL,
    /** A {@link ConfChange} encoded with {@link ConfChange#encode()}. */
    CONF_CHANGE
}
