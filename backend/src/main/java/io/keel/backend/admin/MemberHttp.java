package io.keel.backend.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;

/**
 * Calls another member's admin API on its client URL (status for the overview, defragment of
 * that member, and actions only the leader can check). Non-blocking; one shared Vert.x client
 * with a bounded pool. Thread-safe.
 */
final class MemberHttp {
    /** A member that does not answer within this is shown unhealthy rather than holding the page. */
    static final long TIMEOUT_MILLIS = 3_000;
    private final HttpClient client;

    MemberHttp(Vertx vertx) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setConnectTimeout((int) TIMEOUT_MILLIS));
    }

    Future<JsonObject> call(String clientUrl, HttpMethod method, String path, JsonObject body, long timeoutMillis) {
        URI base = URI.create(clientUrl);
        RequestOptions opts = new RequestOptions().setMethod(method).setHost(base.getHost())
                .setPort(base.getPort()).setURI(path).setIdleTimeout(timeoutMillis)
                .putHeader("Content-Type", "application/json");
        return client.request(opts)
                .compose(req -> body == null ? req.send() : req.send(body.encode()))
                .compose(resp -> resp.body().map(buf -> {
                    JsonObject json = buf.length() == 0 ? new JsonObject() : buf.toJsonObject();
                    if (resp.statusCode() != 200) {
                        throw new RemoteMemberException(resp.statusCode(), json.getString("error",
                                "member at " + clientUrl + " answered " + resp.statusCode()));
                    }
                    return json;
                }))
                .recover(t -> Future.failedFuture(t instanceof RemoteMemberException ? t
                        : new RemoteMemberException(502, "member at " + clientUrl + " unreachable: " + t.getMessage())));
    }

    Future<Void> close() {
        return client.close();
    }
}
