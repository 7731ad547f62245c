package io.keel.server.metrics;

import io.keel.server.lease.LeaseObserver;
import io.keel.server.watch.WatchObserver;
import java.util.concurrent.atomic.AtomicLong;

/**
 * etcd's watch and lease debugging families, fed by the watch hub ({@link WatchObserver}) and the
 * lessor ({@link LeaseObserver}) at the points where etcd's watchable store and lessor update
 * them. Until a service is served the values stay 0, which is the truth: no watchers, no leases.
 * Thread-safe; recording is lock-free and allocation-free.
 */
public final class WatchLeaseFamilies implements WatchObserver, LeaseObserver {
    public final AtomicLong watchers = new AtomicLong();
    public final AtomicLong watchStreams = new AtomicLong();
    public final AtomicLong slowWatchers = new AtomicLong();
    public final AtomicLong pendingEvents = new AtomicLong();
    public final Counter events;
    public final Counter leasesGranted;
    public final Counter leasesRevoked;
    public final Counter leasesRenewed;
    public final Counter leasesExpired;
    public final Histogram leaseTtlSeconds;

    WatchLeaseFamilies(MetricRegistry r) {
        r.register(new Gauge("etcd_debugging_mvcc_watcher_total", "Total number of watchers.", watchers::get));
        r.register(new Gauge("etcd_debugging_mvcc_watch_stream_total", "Total number of watch streams.",
                watchStreams::get));
        r.register(new Gauge("etcd_debugging_mvcc_slow_watcher_total", "Total number of unsynced slow watchers.",
                slowWatchers::get));
        r.register(new Gauge("etcd_debugging_mvcc_pending_events_total", "Total number of pending events to be sent.",
                pendingEvents::get));
        events = r.register(new Counter("etcd_debugging_mvcc_events_total",
                "Total number of events sent by this member."));
        leasesGranted = r.register(new Counter("etcd_debugging_lease_granted_total",
                "The total number of granted leases."));
        leasesRevoked = r.register(new Counter("etcd_debugging_lease_revoked_total",
                "The total number of revoked leases."));
        leasesRenewed = r.register(new Counter("etcd_debugging_lease_renewed_total",
                "The number of renewed leases seen by the leader."));
        leasesExpired = r.register(new Counter("etcd_debugging_server_lease_expired_total",
                "The total number of expired leases."));
        leaseTtlSeconds = r.register(new Histogram("etcd_debugging_lease_ttl_total", "Bucketed histogram of lease TTLs.",
                Histogram.exponential(1, 2, 24)));
    }

    @Override
    public void counts(int streams, int watcherCount, int slowWatcherCount) {
        watchStreams.set(streams);
        watchers.set(watcherCount);
        slowWatchers.set(slowWatcherCount);
    }

    @Override
    public void eventsQueued(int n) {
        pendingEvents.addAndGet(n);
    }

    @Override
    public void eventsSent(int n) {
        pendingEvents.addAndGet(-n);
        events.add(n);
    }

    @Override
    public void eventsDropped(int n) {
        pendingEvents.addAndGet(-n);
    }

    @Override
    public void granted(long ttlSeconds) {
        leaseTtlSeconds.observe(ttlSeconds);
        leasesGranted.inc();
    }

    @Override
    public void revoked() {
        leasesRevoked.inc();
    }

    @Override
    public void renewed() {
        leasesRenewed.inc();
    }

    @Override
    public void expired() {
        leasesExpired.inc();
    }
}
