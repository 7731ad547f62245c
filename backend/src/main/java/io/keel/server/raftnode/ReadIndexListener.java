package io.keel.server.raftnode;

/**
 * What the ReadIndex path reports for etcd's {@code etcd_server_slow_read_indexes_total} and
 * {@code etcd_server_read_indexes_failed_total}, so the Raft node knows no metrics library.
 * Implementations must be thread-safe and non-blocking: they are called on the Raft thread and on
 * the threads that time a read out.
 */
public interface ReadIndexListener {
    /** Records nothing: the node's default. */
    ReadIndexListener NONE = new ReadIndexListener() {
    };

    /**
     * A ReadIndex answer was out of date (it answered an earlier, retried request) or a read gave
     * up waiting for one: etcd's slow read index.
     */
    default void slow() {
    }

    /** A batch of reads failed to get a read index (the node refused or stopped). */
    default void failed() {
    }
}
