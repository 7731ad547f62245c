package io.keel.server.lock;

/**
 * The errors of etcd's concurrency package behind v3lock and v3election. They are plain Go errors
 * there, so clients receive them as gRPC Unknown with this exact text (not etcd rpctypes, hence not
 * in {@link io.keel.server.errors.EtcdError}). Immutable; thread-safe.
 */
public enum ConcurrencyError {
    SESSION_EXPIRED("mutex: session is expired"),
    ELECTION_NOT_LEADER("election: not leader"),
    ELECTION_NO_LEADER("election: no leader"),
    MISSING_LEADER_KEY("\"leader\" field must be provided"),
    LOST_WATCHER("lost watcher waiting for delete");

    private final String message;

    ConcurrencyError(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }

    /** A failure the gRPC layer answers as Unknown with {@link #message()}. */
    public RuntimeException exception() {
        return new IllegalStateException(message, null) {
            @Override
            public synchronized Throwable fillInStackTrace() {
                return this;
            }
        };
    }
}
