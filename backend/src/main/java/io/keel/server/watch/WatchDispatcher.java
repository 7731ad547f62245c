package io.keel.server.watch;

import io.keel.api.etcdserverpb.WatchCreateRequest;
import io.keel.api.etcdserverpb.WatchResponse;
import io.keel.storage.mvcc.CompactedException;
import io.keel.storage.mvcc.Event;
import io.keel.storage.mvcc.KeyRange;
import io.keel.storage.mvcc.MvccStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hub's state and rules, as etcd's watchableStore: synced watchers get each committed
 * revision as it arrives; watchers behind (a past start revision, or a stream whose buffer was
 * full) sit in the unsynced group and are caught up from the store by {@link CatchUp}. Confined
 * to the dispatcher thread, so it needs no locks.
 */
final class WatchDispatcher {
    static final String EMPTY_RANGE = "mvcc: watcher range is empty";
    static final String DUPLICATE_ID = "mvcc: duplicate watch ID provided on the WatchStream";

    final MvccStore store;
    final WatchResponses responses;
    final WatchHubConfig config;
    final WatcherGroup synced = new WatcherGroup();
    final WatcherGroup unsynced = new WatcherGroup();
    private final Set<HubStream> deferredProgress = new LinkedHashSet<>();
    private final Set<HubStream> streams = new LinkedHashSet<>();
    /** Every event at or below this revision has been handed to the synced watchers. */
    long hubRev;
    /**
     * False only while the member has no watcher: the apply thread then hands no revision over
     * and does not wake the dispatcher ({@link WatchHub#committed}), and {@link #skipUnwatched}
     * moves {@link #hubRev} past what nobody watched. Written on the dispatcher thread only: set
     * before a create reads the store's revision, so every later revision is handed over.
     */
    volatile boolean anyWatchers;
    /** Set by the hub before it starts; read on the dispatcher thread. */
    volatile WatchObserver observer = WatchObserver.NONE;
    private int publishedStreams;
    private int publishedWatchers;
    private int publishedSlow;
    /** {@link #deliverOne}'s streams with watchers of the revision, in first-watcher order; reused. */
    private final List<HubStream> fanOutStreams = new ArrayList<>();
    private final boolean[] fanOutWanted = new boolean[2];

    WatchDispatcher(MvccStore store, WatchResponses responses, WatchHubConfig config) {
        this.store = store;
        this.responses = responses;
        this.config = config;
        this.hubRev = store.revision();
    }

    // --- commands from streams ---------------------------------------------------------------

    void open(HubStream s) {
        streams.add(s);
    }

    void create(HubStream s, WatchCreateRequest r) {
        if (s.closed) {
            return;
        }
        anyWatchers = true; // before the store's revision is read below: see the field
        byte[] key = r.getKey().isEmpty() ? new byte[] {0} : r.getKey().toByteArray();
        byte[] end = r.getRangeEnd().toByteArray();
        KeyRange range = new KeyRange(key, end);
        long storeRev = store.revision();
        if (synced.isEmpty() && unsynced.isEmpty()) {
            hubRev = Math.max(hubRev, storeRev); // nobody watched up to here: nothing to read back
        }
        if (!range.isSingleKey() && !range.isUnbounded() && Arrays.compareUnsigned(key, end) >= 0) {
            s.sink.offerControl(responses.createFailed(EMPTY_RANGE, storeRev));
            return;
        }
        long id = r.getWatchId();
        if (id == 0) {
            id = s.takeAutoId();
        } else if (s.watchers.containsKey(id)) {
            s.sink.offerControl(responses.createFailed(DUPLICATE_ID, storeRev));
            return;
        }
        boolean noPut = r.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT);
        boolean noDelete = r.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE);
        long start = r.getStartRevision() <= 0 ? storeRev + 1 : r.getStartRevision();
        Watcher w = new Watcher(id, s, range, noPut, noDelete, r.getPrevKv(), r.getFragment(), r.getProgressNotify(),
                start);
        s.watchers.put(id, w);
        s.sink.offerControl(responses.created(id, storeRev));
        if (start > hubRev) {
            w.synced = true;
            synced.add(w);
        } else {
            unsynced.add(w);
        }
    }

    void cancel(HubStream s, long watchId) {
        Watcher w = s.watchers.remove(watchId);
        if (w == null || s.closed) {
            return;
        }
        drop(w);
        s.sink.offerControl(responses.canceled(watchId, store.revision()));
    }

    void requestProgress(HubStream s) {
        if (s.closed || s.progressDeferred) {
            return;
        }
        if (!answerProgress(s)) {
            s.progressDeferred = true;
            deferredProgress.add(s);
        }
    }

    void close(HubStream s) {
        s.closed = true;
        for (Watcher w : s.watchers.values()) {
            drop(w);
        }
        s.watchers.clear();
        deferredProgress.remove(s);
        streams.remove(s);
    }

    private void drop(Watcher w) {
        if (!synced.remove(w)) {
            unsynced.remove(w);
        }
    }

    // --- committed revisions -----------------------------------------------------------------

    /**
     * With no watcher, the revisions the apply thread stopped handing over concern nobody: the
     * hub counts them as delivered instead of reading them from the store when the next watcher
     * comes. The flag is cleared before the revision is read, so a revision published after the
     * read was either handed over or is skipped again next time.
     */
    void skipUnwatched() {
        if (synced.isEmpty() && unsynced.isEmpty()) {
            anyWatchers = false;
            hubRev = Math.max(hubRev, store.revision());
        }
    }

    /** Hands committed changes (in revision order) to the synced watchers, one revision at a time. */
    void deliver(List<Event> changes) {
        int i = 0;
        while (i < changes.size()) {
            long rev = changes.get(i).revision().main();
            int j = i;
            while (j < changes.size() && changes.get(j).revision().main() == rev) {
                j++;
            }
            if (rev > hubRev) {
                if (rev > hubRev + 1) {
                    readFromStore(rev - 1);
                }
                deliverRevision(rev, changes.subList(i, j));
                hubRev = rev;
            }
            i = j;
        }
        responses.endBatch();
    }

    /**
     * Reads {@code (hubRev, toRev]} from the store for the synced watchers: used when the apply
     * thread's hand-off overflowed or a revision was committed without its changes being handed
     * over. A synced watcher that needs a compacted revision is cancelled as compacted.
     */
    void readFromStore(long toRev) {
        while (hubRev < toRev) {
            long from = hubRev + 1;
            long to = Math.min(toRev, hubRev + config.maxRevisionsPerRead());
            List<Event> events;
            try {
                events = store.history(from, to, 0);
            } catch (CompactedException e) {
                long compactRev = store.compactRevision();
                for (Watcher w : synced.first(Integer.MAX_VALUE)) {
                    if (Math.max(w.nextRev, from) < compactRev) {
                        compacted(w, compactRev);
                    }
                }
                hubRev = Math.max(hubRev, Math.min(toRev, compactRev - 1));
                continue;
            }
            int i = 0;
            for (long r = from; r <= to; r++) {
                int j = i;
                while (j < events.size() && events.get(j).revision().main() == r) {
                    j++;
                }
                if (j > i) {
                    deliverRevision(r, events.subList(i, j));
                }
                i = j;
            }
            hubRev = to;
            responses.endBatch();
        }
    }

    private void deliverRevision(long rev, List<Event> changes) {
        if (changes.size() == 1) {
            deliverOne(rev, changes);
            return;
        }
        Map<Watcher, List<Event>> batch = new LinkedHashMap<>();
        for (Event e : changes) {
            synced.forEachInRange(e, w -> {
                if (w.wants(e)) {
                    batch.computeIfAbsent(w, k -> new ArrayList<>(2)).add(e);
                }
            });
        }
        for (Map.Entry<Watcher, List<Event>> en : batch.entrySet()) {
            offerOrFallBehind(en.getKey(), en.getValue(), rev);
        }
    }

    /**
     * The common case, a revision with one change (a put): every interested watcher gets the same
     * event, so no per-watcher map entry, list or response is made: each stream is offered one
     * {@link WatchFanOut} (the watchers' ids around the header and event built and encoded once
     * for the revision). The watchers are collected first because a slow stream's watcher leaves
     * the synced group while we go.
     */
    private void deliverOne(long rev, List<Event> change) {
        Event e = change.get(0);
        List<HubStream> touched = fanOutStreams;
        boolean[] wanted = fanOutWanted; // [plain, with prev_kv]
        wanted[0] = false;
        wanted[1] = false;
        synced.forEachInRange(e, w -> {
            if (w.wants(e)) {
                List<Watcher> mine = w.stream.fanOut;
                if (mine.isEmpty()) {
                    touched.add(w.stream);
                }
                mine.add(w);
                wanted[w.prevKv ? 1 : 0] = true;
            }
        });
        if (touched.isEmpty()) {
            return;
        }
        WatchFanOut.Shared shared = responses.shared(e, rev, wanted[0], wanted[1]);
        try {
            for (int i = 0; i < touched.size(); i++) {
                HubStream s = touched.get(i);
                offerToStream(s, s.fanOut, shared, rev);
            }
        } finally {
            for (int i = 0; i < touched.size(); i++) {
                touched.get(i).fanOut.clear();
            }
            touched.clear();
        }
    }

    /**
     * Offers the revision's event to the watchers {@code ws} of one stream at once; those the
     * stream has no room for catch up from the store from {@code rev} on, as in
     * {@link #offerOrFallBehind}.
     */
    private void offerToStream(HubStream s, List<Watcher> ws, WatchFanOut.Shared shared, long rev) {
        int n = ws.size();
        long[] ids = new long[n];
        boolean[] prev = null;
        for (int i = 0; i < n; i++) {
            Watcher w = ws.get(i);
            ids[i] = w.id;
            if (w.prevKv) {
                if (prev == null) {
                    prev = new boolean[n];
                }
                prev[i] = true;
            }
        }
        WatchSink sink = s.sink;
        boolean reports = sink.reportsWrites();
        if (reports) {
            // Counted before the offer: the stream may write (and report) them before it returns.
            observer.eventsQueued(n);
        }
        int taken = sink.offerFanOut(new WatchFanOut(shared, ids, prev));
        for (int i = 0; i < n; i++) {
            Watcher w = ws.get(i);
            if (i < taken) {
                w.sentSinceTick = true;
            } else {
                fallBehind(w, rev);
            }
        }
        if (!reports) {
            observer.eventsSent(taken);
        } else if (taken < n) {
            observer.eventsDropped(n - taken);
        }
    }

    private static int eventCount(List<WatchResponse> batch) {
        int events = 0;
        for (int i = 0; i < batch.size(); i++) {
            events += batch.get(i).getEventsCount();
        }
        return events;
    }

    private void offerOrFallBehind(Watcher w, List<Event> events, long rev) {
        if (offerEvents(w, responses.events(w, events, rev))) {
            w.sentSinceTick = true;
        } else {
            fallBehind(w, rev);
        }
    }

    /** The stream is slow: this watcher catches up from the store from {@code rev} on. */
    private void fallBehind(Watcher w, long rev) {
        synced.remove(w);
        w.synced = false;
        w.nextRev = rev;
        unsynced.add(w);
    }

    /** Offers one batch of event responses to {@code w}'s stream; counts its events if taken. */
    boolean offerEvents(Watcher w, List<WatchResponse> batch) {
        int events = eventCount(batch);
        WatchSink sink = w.stream.sink;
        boolean reports = sink.reportsWrites();
        if (reports) {
            // Counted before the offer: the stream may write (and report) them before offer returns.
            observer.eventsQueued(events);
        }
        if (!sink.offer(batch)) {
            if (reports) {
                observer.eventsDropped(events);
            }
            return false;
        }
        if (!reports) {
            observer.eventsSent(events);
        }
        return true;
    }

    /** Tells the observer the stream and watcher counts if they changed since last told. */
    void publishCounts() {
        int streamCount = streams.size();
        int watchers = synced.size() + unsynced.size();
        int slow = unsynced.size();
        if (streamCount != publishedStreams || watchers != publishedWatchers || slow != publishedSlow) {
            publishedStreams = streamCount;
            publishedWatchers = watchers;
            publishedSlow = slow;
            observer.counts(streamCount, watchers, slow);
        }
    }

    /** Cancels {@code w} because the revision it needs is compacted away. */
    void compacted(Watcher w, long compactRev) {
        drop(w);
        w.stream.watchers.remove(w.id);
        w.stream.sink.offerControl(responses.compacted(w.id, compactRev));
    }

    /** Moves a caught-up watcher back into the synced group. */
    void promote(Watcher w) {
        unsynced.remove(w);
        w.synced = true;
        synced.add(w);
    }

    // --- progress ------------------------------------------------------------------------------

    /** Answers the client progress requests that had to wait for their streams to catch up. */
    void retryDeferredProgress() {
        if (deferredProgress.isEmpty()) {
            return;
        }
        for (HubStream s : List.copyOf(deferredProgress)) {
            if (answerProgress(s)) {
                s.progressDeferred = false;
                deferredProgress.remove(s);
            }
        }
    }

    /** etcd answers a progress request only once every watcher of the stream is synced. */
    private boolean answerProgress(HubStream s) {
        if (!s.allSynced()) {
            return false;
        }
        if (!s.watchers.isEmpty()) {
            s.sink.offerControl(responses.progress(WatchResponses.STREAM_WATCH_ID, hubRev));
        }
        return true;
    }

    /**
     * The periodic tick: every synced watcher that asked for progress notifications and got no
     * event since the last tick is told the revision it is synced to.
     */
    void progressTick() {
        for (HubStream s : streams) {
            for (Watcher w : s.watchers.values()) {
                if (w.progressNotify && w.synced && !w.sentSinceTick) {
                    s.sink.offerControl(responses.progress(w.id, hubRev));
                }
                w.sentSinceTick = false;
            }
        }
    }
}
