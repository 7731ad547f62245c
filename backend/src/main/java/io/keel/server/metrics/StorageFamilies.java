package io.keel.server.metrics;

import io.keel.storage.observe.StorageObserver;
import java.util.concurrent.atomic.LongAdder;

/**
 * etcd's disk, snapshot and MVCC families, fed by the storage layer through
 * {@link StorageObserver} (storage itself knows no metrics library) and by the MVCC store's sizes
 * and revisions at scrape time. etcd 3.4 still exports the {@code etcd_debugging_mvcc_*} twins of
 * the op counters; both are written from the same cells. Thread-safe, allocation-free on record.
 */
public final class StorageFamilies implements StorageObserver {
    private static final double[] DISK_SECONDS = Histogram.exponential(0.001, 2, 14);

    private final Histogram walFsync;
    private final Histogram backendCommit;
    private final Histogram snapFsync;
    private final LongAdder walBytes = new LongAdder();
    private final LongAdder puts = new LongAdder();
    private final LongAdder ranges = new LongAdder();
    private final LongAdder deletes = new LongAdder();
    private final LongAdder txns = new LongAdder();

    StorageFamilies(MetricRegistry r, MemberGauges m) {
        walFsync = r.register(new Histogram("etcd_disk_wal_fsync_duration_seconds",
                "The latency distributions of fsync called by WAL.", DISK_SECONDS));
        backendCommit = r.register(new Histogram("etcd_disk_backend_commit_duration_seconds",
                "The latency distributions of commit called by backend.", DISK_SECONDS));
        r.register(new Gauge("etcd_disk_wal_write_bytes_total", "Total number of bytes written in WAL.",
                walBytes::sum));
        snapFsync = r.register(new Histogram("etcd_snap_fsync_duration_seconds",
                "The latency distributions of fsync called by snap.", DISK_SECONDS));
        r.register(new Gauge("etcd_mvcc_db_total_size_in_bytes",
                "Total size of the underlying database physically allocated in bytes.", m::dbSizeBytes));
        r.register(new Gauge("etcd_mvcc_db_total_size_in_use_in_bytes",
                "Total size of the underlying database logically in use in bytes.", m::dbSizeInUseBytes));
        r.register(new Gauge("etcd_debugging_mvcc_db_total_size_in_bytes",
                "Total size of the underlying database physically allocated in bytes.", m::dbSizeBytes));
        opCounters(r, "etcd_mvcc_");
        opCounters(r, "etcd_debugging_mvcc_");
        r.register(new Gauge("etcd_debugging_mvcc_current_revision", "The current revision of store.",
                m::currentRevision));
        r.register(new Gauge("etcd_debugging_mvcc_compact_revision", "The revision of the last compaction in store.",
                () -> Math.max(0, m.compactRevision())));
    }

    private void opCounters(MetricRegistry r, String prefix) {
        r.register(new Gauge(prefix + "put_total", MetricType.COUNTER, "Total number of puts seen by this member.",
                puts::sum));
        r.register(new Gauge(prefix + "range_total", MetricType.COUNTER,
                "Total number of ranges seen by this member.", ranges::sum));
        r.register(new Gauge(prefix + "delete_total", MetricType.COUNTER,
                "Total number of deletes seen by this member.", deletes::sum));
        r.register(new Gauge(prefix + "txn_total", MetricType.COUNTER, "Total number of txns seen by this member.",
                txns::sum));
    }

    @Override
    public void walFsync(long nanos) {
        walFsync.observeNanos(nanos);
    }

    @Override
    public void walWritten(long bytes) {
        walBytes.add(bytes);
    }

    @Override
    public void backendCommit(long nanos) {
        backendCommit.observeNanos(nanos);
    }

    @Override
    public void snapshotSaved(long nanos) {
        snapFsync.observeNanos(nanos);
    }

    @Override
    public void mvccRange() {
        ranges.increment();
    }

    @Override
    public void mvccPut() {
        puts.increment();
    }

    @Override
    public void mvccDelete() {
        deletes.increment();
    }

    @Override
    public void mvccTxn() {
        txns.increment();
    }
}
