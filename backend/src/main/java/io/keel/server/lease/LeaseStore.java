package io.keel.server.lease;

import io.keel.storage.mvcc.MvccWriteTxn;

import java.nio.ByteBuffer;

/**
 * How leases are stored in the MVCC store's {@code lease} aux bucket, in the same commit as the
 * entry that changes them: key = the id (8 bytes, big endian), value = granted TTL and
 * checkpointed remaining TTL in seconds (8 bytes each). Stateless; thread-safe.
 */
public final class LeaseStore {
    public static final String BUCKET = "lease";

    private LeaseStore() {
    }

    public static void put(MvccWriteTxn w, long id, long ttlSeconds, long remainingTtlSeconds) {
        w.putAux(BUCKET, key(id), ByteBuffer.allocate(16).putLong(ttlSeconds).putLong(remainingTtlSeconds).array());
    }

    public static void delete(MvccWriteTxn w, long id) {
        w.deleteAux(BUCKET, key(id));
    }

    static byte[] key(long id) {
        return ByteBuffer.allocate(8).putLong(id).array();
    }

    static long id(byte[] key) {
        return ByteBuffer.wrap(key).getLong();
    }

    static long ttl(byte[] value) {
        return ByteBuffer.wrap(value).getLong(0);
    }

    static long remaining(byte[] value) {
        return ByteBuffer.wrap(value).getLong(8);
    }
}
