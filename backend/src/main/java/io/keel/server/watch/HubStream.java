package io.keel.server.watch;

import java.util.HashMap;
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
