package io.keel.backend.http;

import io.vertx.core.http.HttpServerRequest;

/** Small helpers to end an HTTP response the way Go's net/http does. Stateless; thread-safe. */
final class HttpResponses {
    static final String TEXT = "text/plain; charset=utf-8";

    private HttpResponses() {
    }

    static void send(HttpServerRequest req, int status, String contentType, String body) {
        req.response().setStatusCode(status).putHeader("Content-Type", contentType)
                .putHeader("X-Content-Type-Options", "nosniff").end(body);
    }

    static void notFound(HttpServerRequest req) {
        send(req, 404, TEXT, "404 page not found\n");
    }

    static void methodNotAllowed(HttpServerRequest req) {
        req.response().putHeader("Allow", "GET");
        send(req, 405, TEXT, "Method Not Allowed\n");
    }
}
