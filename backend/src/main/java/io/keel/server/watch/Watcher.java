package io.keel.server.watch;

import io.keel.storage.mvcc.Event;
import io.keel.storage.mvcc.KeyRange;

/**
 * One watcher of a stream: its key range, filters and options, and the next revision it still
 * has to receive. Confined to the hub's dispatcher thread.
 */
final class Watcher {
    final long id;
    final HubStream stream;
    final KeyRange range;
    final boolean noPut;
    final boolean noDelete;
    final boolean prevKv;
    final boolean fragment;
    final boolean progressNotify;
    /** Every event below this revision has been handed to the stream (or filtered out). */
    long nextRev;
    /** True while in the synced group; false while catching up from the store. */
    boolean synced;
    /** Events were handed to the stream since the last periodic progress tick. */
    boolean sentSinceTick;

    Watcher(long id, HubStream stream, KeyRange range, boolean noPut, boolean noDelete, boolean prevKv,
            boolean fragment, boolean progressNotify, long nextRev) {
        this.id = id;
        this.stream = stream;
        this.range = range;
        this.noPut = noPut;
        this.noDelete = noDelete;
        this.prevKv = prevKv;
        this.fragment = fragment;
        this.progressNotify = progressNotify;
        this.nextRev = nextRev;
    }

    /** True if {@code e} is in range, not filtered out, and not yet delivered. */
    boolean wants(Event e) {
        if (e.revision().main() < nextRev || !range.contains(e.kv().key())) {
            return false;
        }
        return e.type() == Event.Type.PUT ? !noPut : !noDelete;
    }
}
