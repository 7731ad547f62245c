package io.keel.storage.mvcc;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Configuration of the MVCC store. Immutable; thread-safe.
 *
 * @param dbPath the database file, {@code <data-dir>/member/snap/db} (a single file plus its
 *     {@code -lock} file beside it)
 * @param quotaBackendBytes etcd's {@code --quota-backend-bytes}: writes that would grow the
 *     database beyond it are refused by the server (NOSPACE)
 * @param mapSizeBytes LMDB's map size, the hard ceiling of the file; must leave room above the
 *     quota so that a member over quota can still compact, defragment and record its alarm
 * @param syncMode how commits reach the disk
 * @param auxBuckets names of the server's auxiliary databases (members, alarms, leases, ...)
 * @param compactionBatchLimit revisions deleted per LMDB transaction during compaction
 * @param maxReaders concurrent read transactions LMDB admits
 */
public record MvccConfig(Path dbPath, long quotaBackendBytes, long mapSizeBytes, SyncMode syncMode,
        List<String> auxBuckets, int compactionBatchLimit, int maxReaders) {

    /** etcd's default --quota-backend-bytes (2 GiB). */
    public static final long DEFAULT_QUOTA_BACKEND_BYTES = 2L * 1024 * 1024 * 1024;
    /** Minimum head room of the map above the quota. */
    public static final long MIN_HEADROOM_BYTES = 64L * 1024 * 1024;
    static final Set<String> RESERVED = Set.of("key", "meta");

    public MvccConfig {
        auxBuckets = List.copyOf(auxBuckets);
    }

    /** Defaults as etcd's, with the map at twice the quota. */
    public static MvccConfig defaults(Path dbPath, List<String> auxBuckets) {
        return new MvccConfig(dbPath, DEFAULT_QUOTA_BACKEND_BYTES, 2 * DEFAULT_QUOTA_BACKEND_BYTES,
                SyncMode.NO_META_SYNC, auxBuckets, 1000, 512);
    }

    /** A copy with another quota and a map size of twice that (at least quota + the minimum head room). */
    public MvccConfig withQuota(long quotaBytes) {
        long map = Math.max(2 * quotaBytes, quotaBytes + MIN_HEADROOM_BYTES);
        return new MvccConfig(dbPath, quotaBytes, map, syncMode, auxBuckets, compactionBatchLimit, maxReaders);
    }

    public MvccConfig withSyncMode(SyncMode mode) {
        return new MvccConfig(dbPath, quotaBackendBytes, mapSizeBytes, mode, auxBuckets, compactionBatchLimit,
                maxReaders);
    }

    public MvccConfig withDbPath(Path path) {
        return new MvccConfig(path, quotaBackendBytes, mapSizeBytes, syncMode, auxBuckets, compactionBatchLimit,
                maxReaders);
    }

    /** Throws IllegalArgumentException naming the first invalid field. */
    public MvccConfig validate() {
        if (dbPath == null || dbPath.getFileName() == null) {
            throw new IllegalArgumentException("dbPath must name a file");
        }
        if (quotaBackendBytes <= 0) {
            throw new IllegalArgumentException("quotaBackendBytes must be positive: " + quotaBackendBytes);
        }
        long headroom = Math.max(MIN_HEADROOM_BYTES, quotaBackendBytes / 4);
        if (mapSizeBytes < quotaBackendBytes + headroom) {
            throw new IllegalArgumentException("mapSizeBytes " + mapSizeBytes + " must be at least quotaBackendBytes + "
                    + headroom + " so a member over quota can still compact and defragment");
        }
        if (syncMode == null) {
            throw new IllegalArgumentException("syncMode is required");
        }
        for (String name : auxBuckets) {
            if (name == null || name.isEmpty() || RESERVED.contains(name)) {
                throw new IllegalArgumentException("invalid aux bucket name: " + name);
            }
        }
        if (Set.copyOf(auxBuckets).size() != auxBuckets.size()) {
            throw new IllegalArgumentException("duplicate aux bucket names: " + auxBuckets);
        }
        if (compactionBatchLimit <= 0) {
            throw new IllegalArgumentException("compactionBatchLimit must be positive: " + compactionBatchLimit);
        }
        if (maxReaders <= 0) {
            throw new IllegalArgumentException("maxReaders must be positive: " + maxReaders);
        }
        return this;
    }
}
