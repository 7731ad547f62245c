package io.keel.server.errors;

import java.util.Objects;

/**
 * An expected failure that a client sees as one {@link EtcdError}. Back ends fail their futures
 * with it; the gRPC layer turns it into the status etcd sends. Carries no stack trace: it is
 * control flow, not a bug report. Immutable; thread-safe.
 */
public final class EtcdException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient EtcdError error;

    public EtcdException(EtcdError error) {
        super(Objects.requireNonNull(error, "error").message(), null, false, false);
        this.error = error;
    }

    public EtcdError error() {
        return error;
    }
}
