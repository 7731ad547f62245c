package io.keel.storage.mvcc.snapshot;

/**
 * What {@code etcdctl snapshot status} reports of a snapshot file, computed the same way over
 * Keel's database: a CRC-32C over every database's name, keys and values in name order, the main
 * revision of the last stored revision, the number of records in all databases, and the bytes the
 * database's pages take. Immutable; thread-safe.
 *
 * @param hash       CRC-32C (Castagnoli) of the content
 * @param revision   highest main revision in the {@code key} database (0 if empty)
 * @param totalKeys  records in all databases
 * @param totalBytes bytes of the database's pages (etcd's {@code tx.Size()})
 */
public record SnapshotStatus(int hash, long revision, long totalKeys, long totalBytes) {
}
