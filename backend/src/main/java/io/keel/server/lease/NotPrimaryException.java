package io.keel.server.lease;

/** A renewal reached a member that is not the leader's lessor; the caller forwards it. */
public final class NotPrimaryException extends RuntimeException {
    public NotPrimaryException() {
        super("not the primary lessor", null, false, false);
    }
}
