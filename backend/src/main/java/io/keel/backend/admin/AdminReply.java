package io.keel.backend.admin;

import io.keel.server.errors.EtcdException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Ends admin API responses as JSON: a value, or {"error": message} with 400 for etcd's expected
 * errors (the message is etcd's exact text) and 502/500 otherwise. Stateless; thread-safe; call on
 * the request's event loop (results of back ends are brought back to it first).
 */
final class AdminReply {
    private AdminReply() {
    }

    static void json(HttpServerRequest req, int status, JsonObject body) {
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body.encode());
    }

    static void ok(HttpServerRequest req, JsonObject body) {
        json(req, 200, body);
    }

    static void error(HttpServerRequest req, Throwable t) {
        Throwable c = unwrap(t);
        int status = c instanceof EtcdException || c instanceof IllegalArgumentException ? 400
                : c instanceof RemoteMemberException r ? r.status() : 500;
        json(req, status, new JsonObject().put("error", String.valueOf(c.getMessage())));
    }

    /** Completes {@code req} from {@code result}, back on the current event loop. */
    static void reply(HttpServerRequest req, Future<JsonObject> result) {
        result.onComplete(ar -> {
            if (ar.succeeded()) {
                ok(req, ar.result());
            } else {
                error(req, ar.cause());
            }
        });
    }

    /** A back end's stage as a Future completing on the calling event loop's context. */
    static <T> Future<T> on(CompletionStage<T> stage) {
        Context ctx = Vertx.currentContext();
        return ctx == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, ctx);
    }

    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
