package io.keel.storage.mvcc;

/**
 * An expected store error whose message is etcd's exact text (clients match it byte for byte).
 * The server maps each subtype to a gRPC status in one place. Immutable; thread-safe.
 */
public abstract sealed class MvccException extends RuntimeException
        permits CompactedException, FutureRevisionException, KeyNotFoundException {

    protected MvccException(String message) {
        super(message, null, false, false);
    }
}
