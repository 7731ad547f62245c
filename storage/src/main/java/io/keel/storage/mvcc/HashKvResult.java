package io.keel.storage.mvcc;

/**
 * etcd's HashKV result: a CRC-32C over the stored revisions up to {@code hashRevision} above the
 * compaction, {@code compactRevision} (-1 if never compacted) and the store's current revision.
 * Immutable; thread-safe.
 */
public record HashKvResult(int hash, long compactRevision, long hashRevision, long currentRevision) {
    /** The hash as etcd's uint32, in a long. */
    public long unsignedHash() {
        return Integer.toUnsignedLong(hash);
    }
}
