package io.keel.server.errors;

/**
 * The gRPC status codes, with their numbers on the wire. Kept here so that the error table does not
 * depend on a gRPC library. Immutable; thread-safe.
 */
public enum GrpcCode {
    OK(0),
    CANCELLED(1),
    UNKNOWN(2),
    INVALID_ARGUMENT(3),
    DEADLINE_EXCEEDED(4),
    NOT_FOUND(5),
    ALREADY_EXISTS(6),
    PERMISSION_DENIED(7),
    RESOURCE_EXHAUSTED(8),
    FAILED_PRECONDITION(9),
    ABORTED(10),
    OUT_OF_RANGE(11),
    UNIMPLEMENTED(12),
    INTERNAL(13),
    UNAVAILABLE(14),
    DATA_LOSS(15),
    UNAUTHENTICATED(16);

    private final int number;

    GrpcCode(int number) {
        this.number = number;
    }

    /** The code's number in the {@code grpc-status} trailer. */
    public int number() {
        return number;
    }
}
