package io.keel.server.config;

/**
 * A command line Keel cannot run with: an unknown flag, a malformed value, or an invalid
 * combination. The message is written for the operator. Immutable; thread-safe.
 */
public final class FlagException extends Exception {
    private static final long serialVersionUID = 1L;

    public FlagException(String message) {
        super(message);
    }
}
