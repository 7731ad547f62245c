package io.keel.storage.mvcc;

/** The requested revision is above the store's current revision (gRPC OUT_OF_RANGE). Thread-safe. */
public final class FutureRevisionException extends MvccException {
    public static final String MESSAGE = "mvcc: required revision is a future revision";

    public FutureRevisionException() {
        super(MESSAGE);
    }
}
