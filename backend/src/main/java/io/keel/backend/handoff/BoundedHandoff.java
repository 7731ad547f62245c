package io.keel.backend.handoff;

import io.keel.server.errors.EtcdError;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The bounded hand-off between an event loop and a back end: at most {@code maxInFlight} calls
 * may be outstanding; one more is refused at once with {@code etcdserver: too many requests}
 * instead of queueing without limit. The result comes back on the caller's Vert.x context, so
 * event-loop code never sees another thread.
 *
 * <p>Owned by the gRPC server; one per back end. Thread-safe: {@link #submit} is called from event
 * loops, completions arrive from back-end threads.
 */
public final class BoundedHandoff {
    private final String name;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();

    public BoundedHandoff(String name, int maxInFlight) {
        if (maxInFlight <= 0) {
            throw new IllegalArgumentException("maxInFlight must be > 0");
        }
        this.name = Objects.requireNonNull(name, "name");
        this.maxInFlight = maxInFlight;
    }

    /**
     * Starts {@code call} (which must return without blocking) unless the bound is reached.
     * Must be called on a Vert.x context; the returned future completes on that context.
     */
    public <T> Future<T> submit(Supplier<? extends CompletionStage<T>> call) {
        Context context = Objects.requireNonNull(Vertx.currentContext(), "submit must run on a Vert.x context");
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            return Future.failedFuture(EtcdError.TOO_MANY_REQUESTS.exception());
        }
        Promise<T> promise = Promise.promise();
        CompletionStage<T> stage;
        try {
            stage = Objects.requireNonNull(call.get(), "back end returned no stage");
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            return Future.failedFuture(e);
        }
        if (stage instanceof CompletableFuture<?> done && done.isDone()) {
            // Answered on this thread (a point read served inline): no need to go round the event
            // loop's task queue; we are on the caller's context already.
            inFlight.decrementAndGet();
            @SuppressWarnings("unchecked")
            CompletableFuture<T> f = (CompletableFuture<T>) done;
            try {
                promise.complete(f.join());
            } catch (CompletionException | CancellationException e) {
                promise.fail(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
            return promise.future();
        }
        stage.whenComplete((result, failure) -> {
            inFlight.decrementAndGet();
            context.runOnContext(v -> {
                if (failure != null) {
                    promise.fail(failure);
                } else {
                    promise.complete(result);
                }
            });
        });
        return promise.future();
    }

    /** Calls started and not yet completed. */
    public int inFlight() {
        return inFlight.get();
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    @Override
    public String toString() {
        return "BoundedHandoff{" + name + " " + inFlight.get() + "/" + maxInFlight + "}";
    }
}
