package io.keel.server.watch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hub's side of one watch stream: its watchers by id and its sink. Confined to the
 * dispatcher thread.
 */
final class HubStream {
    final WatchSink sink;
    final Map<Long, Watcher> watchers = new HashMap<>();
    /** etcd's next automatic watch id; client-chosen ids are skipped over. */
    long nextAutoId;
    /** A client progress request waits until every watcher of the stream is synced. */
    boolean progressDeferred;
    boolean closed;
    /**
     * The watchers of this stream that want the revision being delivered ({@link WatchDispatcher}'s
     * fan-out): gathered here rather than in a map keyed by stream, one lookup less per watcher.
     */
    final List<Watcher> fanOut = new ArrayList<>();

    HubStream(WatchSink sink) {
        this.sink = sink;
    }

    long takeAutoId() {
        while (watchers.containsKey(nextAutoId)) {
            nextAutoId++;
        }
        return nextAutoId++;
    }

    boolean allSynced() {
        for (Watcher w : watchers.values()) {
            if (!w.synced) {
                return false;
            }
        }
        return true;
    }
}
