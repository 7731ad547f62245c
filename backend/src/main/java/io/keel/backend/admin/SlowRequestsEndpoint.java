package io.keel.backend.admin;

import io.keel.tracing.log.EtcdDuration;
import io.keel.tracing.log.EtcdTimestamp;
import io.keel.tracing.steps.SlowRequest;
import io.keel.tracing.steps.StepTracer;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code GET /api/slow-requests} on the client port: the recent slow requests (those the step
 * tracer logged as {@code trace[N] ...}), oldest first, each with its distributed trace id so the
 * console can link to Jaeger. Every other path goes to the next handler.
 *
 * <p>Owner: the client listener. Thread-safety: thread-safe; the buffer read is an immutable copy.
 */
public final class SlowRequestsEndpoint implements Handler<HttpServerRequest> {
    public static final String PATH = "/api/slow-requests";

    private final StepTracer steps;
    private final Handler<HttpServerRequest> next;

    public SlowRequestsEndpoint(StepTracer steps, Handler<HttpServerRequest> next) {
        this.steps = steps;
        this.next = next;
    }

    @Override
    public void handle(HttpServerRequest req) {
        if (!PATH.equals(req.path())) {
            next.handle(req);
            return;
        }
        if (req.method() != HttpMethod.GET) {
            req.response().setStatusCode(405).putHeader("Allow", "GET").end("Method Not Allowed\n");
            return;
        }
        req.response().putHeader("Content-Type", "application/json").end(toJson(steps.slowRequests()).encode());
    }

    static JsonObject toJson(List<SlowRequest> slow) {
        JsonArray items = new JsonArray();
        for (SlowRequest s : slow) {
            items.add(new JsonObject()
                    .put("trace", s.traceNumber())
                    .put("operation", s.operation())
                    .put("detail", s.detail())
                    .put("duration", EtcdDuration.format(s.durationNanos()))
                    .put("duration_ns", s.durationNanos())
                    .put("start", EtcdTimestamp.format(s.startEpochMillis()))
                    .put("end", EtcdTimestamp.format(s.endEpochMillis()))
                    .put("steps", new JsonArray(s.steps()))
                    .put("trace_id", s.traceId()));
        }
        return new JsonObject().put("slow_requests", items);
    }
}
