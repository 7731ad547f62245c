package io.keel.backend.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.etcdserverpb.DefragmentResponse;
import io.keel.api.etcdserverpb.Member;
import io.keel.api.etcdserverpb.MemberListResponse;
import io.keel.api.etcdserverpb.ResponseHeader;
import io.keel.api.etcdserverpb.StatusResponse;
import io.keel.server.ServerBackends;
import io.keel.server.cluster.ClusterBackend;
import io.keel.server.maintenance.MaintenanceBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * "Defragment all" against this member and a remote one (a fake admin API on a real HTTP port):
 * the remote member is defragmented only once it reports the compaction this member has applied.
 */
class MaintenanceActionsTest {
    private static final long COMPACTED = 10;
    /** The remote member reports the compaction from its third status answer on. */
    private static final int APPLIED_FROM_CALL = 3;
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aRemoteMemberIsDefragmentedOnlyAfterItAppliedTheCompaction() throws Exception {
        AtomicInteger statusCalls = new AtomicInteger();
        AtomicInteger statusCallsAtDefrag = new AtomicInteger(-1);
        HttpServer remote = vertx.createHttpServer().requestHandler(req -> {
            if (req.path().equals("/api/local/status")) {
                long compacted = statusCalls.incrementAndGet() >= APPLIED_FROM_CALL ? COMPACTED : 4;
                req.response().end(new JsonObject().put("compactRevision", compacted).put("dbSize", 100)
                        .put("dbSizeInUse", 50).encode());
            } else {
                statusCallsAtDefrag.set(statusCalls.get());
                req.response().end(new JsonObject().put("id", "2").put("dbSizeBefore", 100).put("dbSizeAfter", 60)
                        .encode());
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        String remoteUrl = "http://127.0.0.1:" + remote.actualPort();

        ClusterBackend cluster = fake(ClusterBackend.class, "memberList", MemberListResponse.newBuilder()
                .addMembers(Member.newBuilder().setID(1).setName("local"))
                .addMembers(Member.newBuilder().setID(2).setName("remote").addClientURLs(remoteUrl)).build());
        MaintenanceBackend maintenance = (MaintenanceBackend) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MaintenanceBackend.class}, (p, m, args) -> switch (m.getName()) {
                    case "status" -> CompletableFuture.completedFuture(StatusResponse.newBuilder()
                            .setHeader(ResponseHeader.newBuilder().setMemberId(1)).setDbSize(80).build());
                    case "defragment" -> CompletableFuture.completedFuture(DefragmentResponse.getDefaultInstance());
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        ServerBackends backends = ServerBackends.unwired().withCluster(cluster).withMaintenance(maintenance);
        MemberHttp http = new MemberHttp(vertx);
        MaintenanceActions actions = new MaintenanceActions(vertx, backends, 1,
                new ClusterOverview(backends, 1, () -> COMPACTED, http), http);

        JsonObject done = actions.defragment(new JsonObject()).toCompletionStage().toCompletableFuture()
                .get(60, TimeUnit.SECONDS);

        assertThat(statusCallsAtDefrag.get()).isEqualTo(APPLIED_FROM_CALL);
        JsonObject remoteResult = done.getJsonArray("results").getJsonObject(1);
        assertThat(remoteResult.getString("name")).isEqualTo("remote");
        assertThat(remoteResult.getLong("compactRevision")).isEqualTo(COMPACTED);
        assertThat(remoteResult.getLong("dbSizeAfter")).isEqualTo(60);
        assertThat(done.getJsonArray("results").getJsonObject(0).getString("name")).isEqualTo("local");
    }

    private <T> T fake(Class<T> type, String method, Object answer) {
        return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (m.getName().equals(method)) {
                return CompletableFuture.completedFuture(answer);
            }
            throw new UnsupportedOperationException(m.getName());
        }));
    }
}
