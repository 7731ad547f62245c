package io.keel.server.raftnode;

import io.keel.raft.Entry;

import java.util.List;

/**
 * Watches the Raft thread hand out Readys, for tracing: around the log write of a Ready's entries,
 * and when entries are seen committed. Implementations must return at once and never throw.
 *
 * <p>Called only from the node's Raft thread.
 */
public interface ReadyObserver {
    /** Does nothing. */
    ReadyObserver NONE = new ReadyObserver() {
    };

    /** The Ready's entries are about to be written (with the durability barrier). */
    default void persisting(List<Entry> entries) {
    }

    /** The Ready's entries are durable. */
    default void persisted(List<Entry> entries) {
    }

    /** These entries are committed and about to be handed to the apply thread. */
    default void committed(List<Entry> entries) {
    }
}
