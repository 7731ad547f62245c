package io.keel.server.errors;

import java.util.Objects;

/**
 * What a client receives for a failure: a gRPC code and a status message. Immutable; thread-safe.
 *
 * @param code    the gRPC status code
 * @param message the status message, never null
 */
public record ErrorStatus(GrpcCode code, String message) {
    public ErrorStatus {
        Objects.requireNonNull(code, "code");
        message = message == null ? "" : message;
    }
}
