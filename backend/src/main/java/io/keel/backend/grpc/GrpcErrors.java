package io.keel.backend.grpc;

import io.keel.server.errors.ErrorMapping;
import io.keel.server.errors.ErrorStatus;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/**
 * Turns failures into the Vert.x gRPC status a client receives, through {@link ErrorMapping} (the
 * one error table). Stateless; thread-safe.
 */
public final class GrpcErrors {
    private GrpcErrors() {
    }

    public static StatusException toStatusException(Throwable failure) {
        if (failure instanceof StatusException se) {
            return se;
        }
        ErrorStatus status = ErrorMapping.toStatus(failure);
        return new StatusException(GrpcStatus.valueOf(status.code().number()), status.message());
    }

    /** {@code future} with any failure mapped to etcd's status. */
    public static <T> Future<T> mapped(Future<T> future) {
        return future.recover(t -> Future.failedFuture(toStatusException(t)));
    }
}
