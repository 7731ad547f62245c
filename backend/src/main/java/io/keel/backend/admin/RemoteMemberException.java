package io.keel.backend.admin;

/**
 * Another member's admin API answered with an error (its message is passed on) or could not be
 * reached. Immutable; thread-safe.
 */
final class RemoteMemberException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    RemoteMemberException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
