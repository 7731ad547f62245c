package io.keel.backend.admin;

import io.keel.server.ServerBackends;
import io.keel.server.cluster.ClusterBackend;
import io.keel.server.errors.EtcdError;
import io.keel.server.errors.EtcdException;
import io.keel.server.kv.KvBackend;
import io.keel.server.maintenance.MaintenanceBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.function.LongSupplier;

/**
 * The console's HTTP API under {@code /api} on the client port: JSON in and out, every call an
 * asynchronous composition over the member's back ends (never blocking the event loop). The
 * routes are listed in backend/README.md. Created by {@link io.keel.backend.KeelServer}; thread-safe.
 */
public final class AdminApi {
    /** Request bodies are small JSON objects; anything larger is refused. */
    private static final int MAX_BODY_BYTES = 2 * 1024 * 1024;
    private final ClusterOverview overview;
    private final MembershipActions membership;
    private final MaintenanceActions maintenance;
    private final KeyBrowser keys;
    private final LeaseActions leases;
    private final ServerBackends backends;
    private final String jaegerUrl;

    public AdminApi(Vertx vertx, ServerBackends backends, long localMemberId, LongSupplier compactRevision) {
        this(vertx, backends, localMemberId, compactRevision, DEFAULT_JAEGER_URL);
    }

    /** @param jaegerUrl where the slow-request screen links trace ids ({@code <url>/trace/<id>}) */
    public AdminApi(Vertx vertx, ServerBackends backends, long localMemberId, LongSupplier compactRevision,
                    String jaegerUrl) {
        MemberHttp http = new MemberHttp(vertx);
        this.overview = new ClusterOverview(backends, localMemberId, compactRevision, http);
        this.membership = new MembershipActions(backends, localMemberId, http);
        this.maintenance = new MaintenanceActions(vertx, backends, localMemberId, overview, http);
        this.keys = new KeyBrowser(backends);
        this.leases = new LeaseActions(backends);
        this.backends = backends;
        this.jaegerUrl = jaegerUrl;
    }

    /** Jaeger's UI on its default port, as {@code --console-jaeger-url} defaults. */
    public static final String DEFAULT_JAEGER_URL = "http://localhost:16686";

    public void handle(HttpServerRequest req) {
        if (req.path().equals(WatchTail.PATH) && req.method() == HttpMethod.GET && backends.watch().isPresent()) {
            WatchTail.start(backends.watch().get(), req);
            return;
        }
        if (req.method() == HttpMethod.GET || req.method() == HttpMethod.DELETE) {
            route(req, new JsonObject());
            return;
        }
        req.body().onComplete(ar -> {
            if (ar.failed() || ar.result().length() > MAX_BODY_BYTES) {
                AdminReply.json(req, 400, new JsonObject().put("error", "unreadable request body"));
                return;
            }
            try {
                route(req, ar.result().length() == 0 ? new JsonObject() : ar.result().toJsonObject());
            } catch (RuntimeException e) {
                AdminReply.error(req, e);
            }
        });
    }

    private void route(HttpServerRequest req, JsonObject body) {
        Future<JsonObject> result;
        try {
            result = dispatch(req, body);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        if (result == null) {
            AdminReply.json(req, 404, new JsonObject().put("error", "no such API: " + req.method() + " " + req.path()));
            return;
        }
        AdminReply.reply(req, result);
    }

    private Future<JsonObject> dispatch(HttpServerRequest req, JsonObject body) {
        String[] p = req.path().substring("/api/".length()).split("/");
        HttpMethod m = req.method();
        boolean dryRun = body.getBoolean("dryRun", false);
        boolean forwarded = "1".equals(req.getParam("forwarded"));
        String head = p[0];
        if (p.length == 1 && m == HttpMethod.GET) {
            switch (head) {
                case "cluster": return overview.overview();
                case "alarms": return maintenance.alarms();
                case "keys": return keys.list(param(req, "prefix"), param(req, "cursor"),
                        Integer.parseInt(req.params().get("limit") == null ? "100" : req.getParam("limit")));
                case "key": return keys.get(param(req, "key"));
                case "features": return Future.succeededFuture(features());
                case "leases": return leases.list();
                default: return null;
            }
        }
        if (p.length == 1 && m == HttpMethod.POST) {
            switch (head) {
                case "members": return membership.add(body);
                case "compact": return maintenance.compact(body);
                case "defragment": return maintenance.defragment(body);
                case "key": return keys.put(MembershipActions.require(body, "key"), body.getString("value", ""));
                default: return null;
            }
        }
        if (p.length == 1 && m == HttpMethod.DELETE && head.equals("key")) {
            return keys.delete(param(req, "key"));
        }
        if (p.length == 2 && head.equals("local")) {
            if (p[1].equals("status") && m == HttpMethod.GET) {
                return overview.localStatus();
            }
            if (p[1].equals("defragment") && m == HttpMethod.POST) {
                return maintenance.defragmentLocal();
            }
            return null;
        }
        if (p.length == 2 && head.equals("alarms") && p[1].equals("disarm") && m == HttpMethod.POST) {
            return maintenance.disarm(body);
        }
        if (p.length == 3 && head.equals("leases") && p[2].equals("revoke") && m == HttpMethod.POST) {
            return leases.revoke(Long.parseUnsignedLong(p[1], 16), dryRun);
        }
        if (p.length == 3 && head.equals("members") && m == HttpMethod.POST) {
            long id = Long.parseUnsignedLong(p[1], 16);
            switch (p[2]) {
                case "promote": return membership.promote(id, dryRun, forwarded, req.path(), body);
                case "remove": return membership.remove(id, dryRun);
                case "move-leader": return membership.moveLeader(id, dryRun, forwarded, req.path(), body);
                default: return null;
            }
        }
        return null;
    }

    /**
     * Which screens this member can serve (a member without a lease back end or watch hub shows
     * "not available"), and the console's settings: where trace ids link to.
     */
    private JsonObject features() {
        return new JsonObject().put("leases", backends.lease().isPresent()).put("watch", backends.watch().isPresent())
                .put("slowRequests", true).put("metrics", true).put("auth", false).put("jaegerUrl", jaegerUrl);
    }

    private static String param(HttpServerRequest req, String name) {
        String v = req.getParam(name);
        return v == null ? "" : v;
    }

    static KvBackend kv(ServerBackends b) {
        return b.kv().orElseThrow(AdminApi::unwired);
    }

    static ClusterBackend cluster(ServerBackends b) {
        return b.cluster().orElseThrow(AdminApi::unwired);
    }

    static MaintenanceBackend maintenance(ServerBackends b) {
        return b.maintenance().orElseThrow(AdminApi::unwired);
    }

    private static EtcdException unwired() {
        return new EtcdException(EtcdError.NOT_CAPABLE);
    }
}
