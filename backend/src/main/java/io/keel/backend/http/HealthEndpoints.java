package io.keel.backend.http;

import io.keel.server.health.HealthCheckName;
import io.keel.server.health.HealthProbe;
import io.keel.server.health.HealthStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * etcd's health endpoints: {@code /health} (JSON {"health":"true","reason":""}, 503 when
 * unhealthy), and {@code /livez}, {@code /readyz} with their per-check sub-paths (text "ok", or
 * {@code [-]check failed: reason} lines and 503). Answers on the event loop from the
 * {@link HealthProbe}'s asynchronous verdict. Thread-safe.
 */
final class HealthEndpoints {
    static final List<HealthCheckName> LIVEZ = List.of(HealthCheckName.SERIALIZABLE_READ);
    static final List<HealthCheckName> READYZ = List.of(HealthCheckName.DATA_CORRUPTION,
            HealthCheckName.LINEARIZABLE_READ, HealthCheckName.NON_LEARNER, HealthCheckName.SERIALIZABLE_READ);

    private final HealthProbe probe;
    /** Told each /health verdict (etcd counts them in etcd_server_health_success/failures). */
    private final java.util.function.Consumer<Boolean> verdicts;

    HealthEndpoints(HealthProbe probe, java.util.function.Consumer<Boolean> verdicts) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.verdicts = Objects.requireNonNull(verdicts, "verdicts");
    }

    void health(HttpServerRequest req) {
        boolean serializable = "true".equals(req.getParam("serializable"));
        Set<String> excluded = new HashSet<>(req.params().getAll("exclude"));
        Context ctx = Vertx.currentContext();
        Future.fromCompletionStage(probe.health(serializable, excluded), ctx).onComplete(ar -> {
            HealthStatus h = ar.succeeded() ? ar.result() : HealthStatus.failed(String.valueOf(ar.cause().getMessage()));
            verdicts.accept(h.healthy());
            String body = new JsonObject().put("health", Boolean.toString(h.healthy())).put("reason", h.reason()).encode();
            if (h.healthy()) {
                HttpResponses.send(req, 200, "application/json", body);
            } else {
                HttpResponses.send(req, 503, HttpResponses.TEXT, body + "\n");
            }
        });
    }

    /** {@code /livez} or {@code /readyz}, optionally narrowed to one check by its sub-path. */
    void checks(HttpServerRequest req, List<HealthCheckName> all, String subPath) {
        List<HealthCheckName> selected = new ArrayList<>();
        if (subPath.isEmpty()) {
            Set<String> excluded = new HashSet<>(req.params().getAll("exclude"));
            all.stream().filter(c -> !excluded.contains(c.wireName())).forEach(selected::add);
        } else {
            EnumSet.copyOf(all).stream().filter(c -> c.wireName().equals(subPath)).forEach(selected::add);
            if (selected.isEmpty()) {
                HttpResponses.notFound(req);
                return;
            }
        }
        Context ctx = Vertx.currentContext();
        List<Future<HealthStatus>> results = selected.stream()
                .map(c -> Future.fromCompletionStage(probe.check(c), ctx)
                        .recover(t -> Future.succeededFuture(HealthStatus.failed(String.valueOf(t.getMessage())))))
                .toList();
        Future.join(results).onComplete(ignored -> {
            StringBuilder lines = new StringBuilder();
            boolean ok = true;
            for (int i = 0; i < selected.size(); i++) {
                HealthStatus h = results.get(i).result();
                String name = selected.get(i).wireName();
                ok &= h.healthy();
                lines.append(h.healthy() ? "[+]" + name + " ok\n" : "[-]" + name + " failed: " + h.reason() + "\n");
            }
            if (!ok) {
                HttpResponses.send(req, 503, HttpResponses.TEXT, lines + "\n");
            } else {
                HttpResponses.send(req, 200, HttpResponses.TEXT,
                        (req.params().contains("verbose") ? lines.toString() : "") + "ok\n");
            }
        });
    }

    static String[] split(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }
}
