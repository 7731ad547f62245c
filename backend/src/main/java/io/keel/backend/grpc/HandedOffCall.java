package io.keel.backend.grpc;

import io.keel.backend.handoff.BoundedHandoff;
import io.vertx.core.Future;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One unary call from an event loop to a back end: request checks first (they throw
 * {@link io.keel.server.errors.EtcdException}), then the bounded hand-off, then etcd's status for any
 * failure. Stateless; thread-safe.
 */
final class HandedOffCall {
    private HandedOffCall() {
    }

    static <T> Future<T> run(BoundedHandoff handoff, Runnable checks, Supplier<? extends CompletionStage<T>> call) {
        try {
            checks.run();
        } catch (RuntimeException e) {
            return Future.failedFuture(GrpcErrors.toStatusException(e));
        }
        return GrpcErrors.mapped(handoff.submit(call));
    }

    static <T> Future<T> run(BoundedHandoff handoff, Supplier<? extends CompletionStage<T>> call) {
        return run(handoff, () -> { }, call);
    }
}
