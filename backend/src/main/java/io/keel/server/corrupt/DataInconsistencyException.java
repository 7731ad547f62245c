package io.keel.server.corrupt;

/** The initial corruption check found this member's data differs from a peer's. Thread-safe. */
public final class DataInconsistencyException extends Exception {
    private static final long serialVersionUID = 1L;

    public DataInconsistencyException(String message) {
        super(message);
    }
}
