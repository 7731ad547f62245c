package io.keel.server.watch;

/**
 * What the {@link WatchHub} reports for etcd's watch metrics ({@code etcd_debugging_mvcc_watcher_total}
 * and friends), so the hub itself knows no metrics library. Counts are reported as absolute values
 * when they change, so an observer can never drift from the hub's real state.
 *
 * <p>Implementations must be thread-safe, cheap and non-blocking: {@link #counts} and
 * {@link #eventsQueued} are called on the hub's dispatcher thread, {@link #eventsSent} and
 * {@link #eventsDropped} on the watch streams' event loops.
 */
public interface WatchObserver {
    /** Records nothing: the hub's default. */
    WatchObserver NONE = new WatchObserver() {
    };

    /**
     * The hub's open streams, its watchers, and those of them behind the store (unsynced: catching
     * up from a past revision or after their stream was full: etcd's "slow watchers").
     */
    default void counts(int streams, int watchers, int slowWatchers) {
    }

    /** {@code events} were handed to a stream's buffer and wait to be written to the client. */
    default void eventsQueued(int events) {
    }

    /** {@code events} queued earlier were written to the client. */
    default void eventsSent(int events) {
    }

    /** {@code events} queued earlier were dropped unsent because their stream closed. */
    default void eventsDropped(int events) {
    }
}
