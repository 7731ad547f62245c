package io.keel.backend.handoff;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;

/**
 * An executor that runs tasks on the Vert.x context of the calling thread: lets a back end (which
 * knows nothing of Vert.x) finish a short piece of work on the event loop that asked for it, so
 * the reply needs no hop through another pool. Stateless; thread-safe.
 */
public final class CallerContext {
    private CallerContext() {
    }

    /** The calling thread's context as an executor, or null when not called on a Vert.x context. */
    public static Executor current() {
        Context context = Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) {
            return null;
        }
        return task -> context.runOnContext(v -> task.run());
    }
}
