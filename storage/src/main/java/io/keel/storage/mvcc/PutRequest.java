package io.keel.storage.mvcc;

/**
 * etcd's {@code PutRequest}. The store records {@code lease} as given; checking that the lease
 * exists is the server's job. Immutable; thread-safe.
 */
public record PutRequest(byte[] key, byte[] value, long lease, boolean prevKv, boolean ignoreValue,
        boolean ignoreLease) implements RequestOp {

    public PutRequest {
        value = value == null ? new byte[0] : value;
    }

    public static PutRequest of(byte[] key, byte[] value) {
        return new PutRequest(key, value, 0, false, false, false);
    }
}
