package io.keel.storage.mvcc;

/** The requested revision was compacted away (gRPC OUT_OF_RANGE in etcd). Thread-safe. */
public final class CompactedException extends MvccException {
    public static final String MESSAGE = "mvcc: required revision has been compacted";

    public CompactedException() {
        super(MESSAGE);
    }
}
