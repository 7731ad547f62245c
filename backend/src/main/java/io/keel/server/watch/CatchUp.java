package io.keel.server.watch;

import io.keel.storage.mvcc.CompactedException;
import io.keel.storage.mvcc.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass over the unsynced watchers, as etcd's syncWatchers: cancel those whose next revision
 * is compacted away, read one bounded batch of whole revisions from the store from the lowest
 * next revision, give each watcher its events in one response, and move the watchers that reached
 * the hub's revision back to the synced group. A watcher whose stream has no room is skipped
 * (etcd's victims), so a slow stream costs no store reads. Runs on the dispatcher thread.
 */
final class CatchUp {
    private final WatchDispatcher d;

    CatchUp(WatchDispatcher d) {
        this.d = d;
    }

    /** Returns true if some watcher made progress (another pass may follow at once). */
    boolean pass() {
        if (d.unsynced.isEmpty()) {
            return false;
        }
        long compactRev = d.store.compactRevision();
        List<Watcher> chosen = new ArrayList<>();
        long minRev = Long.MAX_VALUE;
        boolean progressed = false;
        for (Watcher w : d.unsynced.first(d.config.maxWatchersPerSync())) {
            if (w.nextRev < compactRev) {
                d.compacted(w, compactRev);
                progressed = true;
            } else if (w.nextRev > d.hubRev) {
                d.promote(w);
                progressed = true;
            } else if (w.stream.sink.hasRoom()) {
                chosen.add(w);
                minRev = Math.min(minRev, w.nextRev);
            }
        }
        if (chosen.isEmpty()) {
            return progressed;
        }
        long toRev = Math.min(d.hubRev, minRev + d.config.maxRevisionsPerRead() - 1);
        List<Event> events;
        try {
            events = d.store.history(minRev, toRev, d.config.maxEventsPerRead());
            if (events.size() >= d.config.maxEventsPerRead()) {
                long last = events.get(events.size() - 1).revision().main();
                if (last == minRev) {
                    // One revision alone exceeds the read limit: it is read whole, never split.
                    events = d.store.history(minRev, minRev, 0);
                    toRev = minRev;
                } else {
                    toRev = last - 1;
                    events = withoutRevision(events, last);
                }
            }
        } catch (CompactedException e) {
            return true; // the next pass cancels the watchers that are now behind the compaction
        }
        for (Watcher w : chosen) {
            List<Event> mine = new ArrayList<>();
            for (Event e : events) {
                if (w.wants(e) && !compactedTombstone(e, compactRev)) {
                    mine.add(e);
                }
            }
            if (!mine.isEmpty()) {
                // etcd stamps a catch-up response with the store's revision, not the last event's.
                if (!d.offerEvents(w, d.responses.events(w, mine, d.hubRev))) {
                    continue;
                }
                w.sentSinceTick = true;
            }
            w.nextRev = toRev + 1;
            if (w.nextRev > d.hubRev) {
                d.promote(w);
            }
            progressed = true;
        }
        d.responses.endBatch();
        return progressed;
    }

    /**
     * etcd's compaction at revision C drops a key's tombstone at C itself (only puts at C are
     * kept), so a watch from C never sees that delete; the store here may still hold it.
     */
    private static boolean compactedTombstone(Event e, long compactRev) {
        return e.type() == Event.Type.DELETE && e.revision().main() == compactRev;
    }

    private static List<Event> withoutRevision(List<Event> events, long rev) {
        int end = events.size();
        while (end > 0 && events.get(end - 1).revision().main() == rev) {
            end--;
        }
        return events.subList(0, end);
    }
}
