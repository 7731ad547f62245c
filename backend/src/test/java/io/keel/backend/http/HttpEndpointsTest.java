package io.keel.backend.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.backend.RunningServer;
import io.keel.server.ServerBackends;
import io.keel.server.health.HealthCheckName;
import io.keel.server.health.HealthProbe;
import io.keel.server.health.HealthStatus;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The HTTP side of a client port, seen by the JDK's HTTP/1.1 client. */
class HttpEndpointsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static HttpResponse<String> get(RunningServer s, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(s.endpoint + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static final HealthProbe HEALTHY = new HealthProbe() {
        @Override
        public CompletionStage<HealthStatus> health(boolean serializable, Set<String> excludedAlarms) {
            return CompletableFuture.completedFuture(HealthStatus.OK);
        }

        @Override
        public CompletionStage<HealthStatus> check(HealthCheckName name) {
            return CompletableFuture.completedFuture(HealthStatus.OK);
        }
    };

    @Test
    void versionHasEtcdsJsonShape() throws Exception {
        try (RunningServer s = RunningServer.start(ServerBackends.unwired())) {
            HttpResponse<String> r = get(s, "/version");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonObject json = new JsonObject(r.body());
            assertThat(json.fieldNames()).containsExactlyInAnyOrder("etcdserver", "etcdcluster");
            assertThat(json.getString("etcdserver")).startsWith("3.5.");
            assertThat(json.getString("etcdcluster")).isEqualTo("3.5.0");
        }
    }

    @Test
    void healthyMemberAnswersEtcdsHealthJson() throws Exception {
        try (RunningServer s = RunningServer.start(ServerBackends.unwired().withHealth(HEALTHY))) {
            HttpResponse<String> r = get(s, "/health");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"health\":\"true\",\"reason\":\"\"}");
            assertThat(get(s, "/livez").body()).isEqualTo("ok\n");
            assertThat(get(s, "/readyz?verbose").body()).contains("[+]linearizable_read ok\n").endsWith("ok\n");
            assertThat(get(s, "/readyz/non_learner").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void unwiredShellSaysThereIsNoLeaderAndCannotRead() throws Exception {
        try (RunningServer s = RunningServer.start(ServerBackends.unwired())) {
            HttpResponse<String> health = get(s, "/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).isEqualTo("{\"health\":\"false\",\"reason\":\"RAFT NO LEADER\"}\n");
            HttpResponse<String> readyz = get(s, "/readyz");
            assertThat(readyz.statusCode()).isEqualTo(503);
            assertThat(readyz.body()).contains("[-]serializable_read failed: ").contains("[+]data_corruption ok");
            assertThat(get(s, "/livez").statusCode()).isEqualTo(503);
            assertThat(get(s, "/livez?exclude=serializable_read").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void unknownPathsAre404AndWritesAre405() throws Exception {
        try (RunningServer s = RunningServer.start(ServerBackends.unwired())) {
            assertThat(get(s, "/v2/keys").statusCode()).isEqualTo(404);
            assertThat(get(s, "/readyz/nope").statusCode()).isEqualTo(404);
            HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(s.endpoint + "/health"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }
}
