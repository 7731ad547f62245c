package io.keel.backend.http;

import io.keel.backend.metrics.MetricsEndpoint;
import io.keel.backend.admin.AdminApi;
import io.keel.backend.admin.ConsoleAssets;
import io.keel.server.EtcdVersion;
import io.keel.server.health.HealthProbe;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * The plain-HTTP side of a client port, as etcd serves it beside gRPC: {@code /version},
 * {@code /health}, {@code /livez}, {@code /readyz}, {@code /metrics}; the console's API
 * ({@code /api}) and files ({@code /ui}). Anything else is 404 (the v3 JSON gateway is not built
 * yet). Runs on the event loop; thread-safe.
 */
public final class HttpEndpoints implements Handler<HttpServerRequest> {
    private final HealthEndpoints health;
    private final MetricsEndpoint metrics;
    private final AdminApi admin;
    private final ConsoleAssets console = new ConsoleAssets();

    public HttpEndpoints(HealthProbe probe) {
        this(probe, null, ok -> { }, null);
    }

    /** With the console: its API under /api and its files under /ui ({@code admin} may be null). */
    public HttpEndpoints(HealthProbe probe, AdminApi admin) {
        this(probe, null, ok -> { }, admin);
    }

    /** With {@code /metrics} served by {@code metrics} (null: 404) and each /health verdict told to {@code verdicts}. */
    public HttpEndpoints(HealthProbe probe, MetricsEndpoint metrics, Consumer<Boolean> verdicts) {
        this(probe, metrics, verdicts, null);
    }

    /** Everything: metrics (may be null), health verdicts, and the console ({@code admin} may be null). */
    public HttpEndpoints(HealthProbe probe, MetricsEndpoint metrics, Consumer<Boolean> verdicts, AdminApi admin) {
        this.health = new HealthEndpoints(probe, verdicts);
        this.metrics = metrics;
        this.admin = admin;
    }

    @Override
    public void handle(HttpServerRequest req) {
        if (admin != null && req.path().startsWith("/api/")) {
            admin.handle(req);
            return;
        }
        if (admin != null && (req.path().equals("/ui") || req.path().startsWith("/ui/"))) {
            console.handle(req);
            return;
        }
        String[] parts = HealthEndpoints.split(req.path());
        if (parts.length == 0 || parts.length > 2) {
            HttpResponses.notFound(req);
            return;
        }
        String root = parts[0];
        String sub = parts.length == 2 ? parts[1] : "";
        boolean known = switch (root) {
            case "version", "health" -> sub.isEmpty();
            case "metrics" -> sub.isEmpty() && metrics != null;
            case "livez", "readyz" -> true;
            default -> false;
        };
        if (!known) {
            HttpResponses.notFound(req);
            return;
        }
        if (req.method() != HttpMethod.GET) {
            HttpResponses.methodNotAllowed(req);
            return;
        }
        switch (root) {
            case "version" -> HttpResponses.send(req, 200, "application/json", new JsonObject()
                    .put("etcdserver", EtcdVersion.SERVER).put("etcdcluster", EtcdVersion.CLUSTER).encode());
            case "health" -> health.health(req);
            case "metrics" -> metrics.handle(req);
            case "livez" -> health.checks(req, HealthEndpoints.LIVEZ, sub);
            default -> health.checks(req, HealthEndpoints.READYZ, sub);
        }
    }
}
