package io.keel.storage.mvcc;

/**
 * A put with ignore_value or ignore_lease named a key that does not exist (gRPC
 * INVALID_ARGUMENT in etcd). Thread-safe.
 */
public final class KeyNotFoundException extends MvccException {
    public static final String MESSAGE = "etcdserver: key not found";

    public KeyNotFoundException() {
        super(MESSAGE);
    }
}
