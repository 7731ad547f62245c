package io.keel.backend.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.server.errors.EtcdError;
import io.keel.server.errors.EtcdException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BoundedHandoffTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Runs {@code body} on an event loop and returns what it returned. */
    private <T> T onContext(java.util.function.Supplier<T> body) throws Exception {
        CompletableFuture<T> out = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> out.complete(body.get()));
        return out.get(30, TimeUnit.SECONDS);
    }

    @Test
    void anAnswerReadyAtOnceCompletesWithoutATripThroughTheEventLoop() throws Exception {
        BoundedHandoff handoff = new BoundedHandoff("kv", 1);
        Future<String> done = onContext(() -> handoff.submit(() -> CompletableFuture.completedFuture("v")));
        assertThat(done.isComplete()).isTrue();
        assertThat(done.result()).isEqualTo("v");
        assertThat(handoff.inFlight()).isZero();

        EtcdException failure = new EtcdException(EtcdError.KEY_NOT_FOUND);
        Future<String> failed = onContext(() -> handoff.submit(() -> CompletableFuture.failedFuture(failure)));
        assertThat(failed.failed()).isTrue();
        assertThat(failed.cause()).isSameAs(failure);
        assertThat(handoff.inFlight()).isZero();
    }

    @Test
    void aLaterAnswerArrivesOnTheCallersContextAndTheBoundHolds() throws Exception {
        BoundedHandoff handoff = new BoundedHandoff("kv", 1);
        CompletableFuture<String> pending = new CompletableFuture<>();
        AtomicReference<Context> caller = new AtomicReference<>();
        Future<String> first = onContext(() -> {
            caller.set(Vertx.currentContext());
            return handoff.submit(() -> pending);
        });
        Future<String> refused = onContext(() -> handoff.submit(() -> CompletableFuture.completedFuture("x")));
        assertThat(refused.failed()).isTrue();
        assertThat(refused.cause()).hasMessage("etcdserver: too many requests");

        CompletableFuture<Context> completedOn = new CompletableFuture<>();
        first.onComplete(r -> completedOn.complete(Vertx.currentContext()));
        pending.complete("later");
        assertThat(completedOn.get(30, TimeUnit.SECONDS)).isSameAs(caller.get());
        assertThat(first.result()).isEqualTo("later");
        assertThat(handoff.inFlight()).isZero();
    }
}
