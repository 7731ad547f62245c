package io.keel.backend.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallerContextTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void tasksRunOnTheContextThatAskedAndNoneOffAContext() throws Exception {
        assertThat(CallerContext.current()).isNull();
        CompletableFuture<Context> caller = new CompletableFuture<>();
        CompletableFuture<Executor> executor = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> {
            caller.complete(Vertx.currentContext());
            executor.complete(CallerContext.current());
        });
        CompletableFuture<Context> ranOn = new CompletableFuture<>();
        // Submitted from a thread that is not an event loop: it still runs on the caller's context.
        executor.get(30, TimeUnit.SECONDS).execute(() -> ranOn.complete(Vertx.currentContext()));
        assertThat(ranOn.get(30, TimeUnit.SECONDS)).isSameAs(caller.get());
    }
}
