package io.keel.backend.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.etcdserverpb.ResponseHeader;
import io.keel.server.ServerBackends;
import io.keel.server.watch.WatchHub;
import io.keel.server.watch.WatchHubConfig;
import io.keel.storage.mvcc.DeleteRangeRequest;
import io.keel.storage.mvcc.MvccConfig;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.MvccWriteTxn;
import io.keel.storage.mvcc.PutRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's watch tail over a real HTTP connection, a real watch hub and MVCC store: events
 * on the prefix only, in order, as Server-Sent Events; history from a start revision; a compacted
 * start revision cancels the tail.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WatchTailTest {
    @TempDir
    Path dir;
    private MvccStore store;
    private WatchHub hub;
    private Vertx vertx;
    private HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        store = MvccStore.open(MvccConfig.defaults(dir.resolve("db"), List.of()));
        hub = new WatchHub(store, rev -> ResponseHeader.newBuilder().setRevision(rev).build(),
                new WatchHubConfig(60_000, 5, 1000, 10_000, 512, 4096, 10_000, 1 << 20), System::nanoTime, 7).start();
        vertx = Vertx.vertx();
        AdminApi api = new AdminApi(vertx, ServerBackends.unwired().withWatch(hub), 1, () -> 0);
        server = vertx.createHttpServer().requestHandler(api::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        hub.close();
        store.close();
    }

    private Iterator<String> tail(String query) throws Exception {
        HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.actualPort() + "/api/watch?" + query)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/event-stream");
        return r.body().filter(l -> !l.isEmpty() && !l.startsWith(":")).iterator();
    }

    /** The next event's type (null for a plain message) and data. */
    private static JsonObject next(Iterator<String> lines) {
        String first = lines.next();
        String type = null;
        if (first.startsWith("event: ")) {
            type = first.substring("event: ".length());
            first = lines.next();
        }
        assertThat(first).startsWith("data: ");
        return new JsonObject(first.substring("data: ".length())).put("event", type);
    }

    @Test
    void tailsOnlyThePrefixInRevisionOrder() throws Exception {
        put("app/x", "0");
        Iterator<String> lines = tail("prefix=app/");
        JsonObject created = next(lines);
        assertThat(created.getString("event")).isEqualTo("created");

        long first = put("app/a", "{\"n\":1}");
        put("other/b", "not seen");
        long deleted = delete("app/a");

        JsonObject putEvent = next(lines);
        assertThat(putEvent.getString("type")).isEqualTo("PUT");
        assertThat(putEvent.getString("key")).isEqualTo("app/a");
        assertThat(putEvent.getString("value")).isEqualTo("{\"n\":1}");
        assertThat(putEvent.getLong("revision")).isEqualTo(first);
        JsonObject deleteEvent = next(lines);
        assertThat(deleteEvent.getString("type")).isEqualTo("DELETE");
        assertThat(deleteEvent.getLong("revision")).isEqualTo(deleted);
    }

    @Test
    void replaysHistoryFromTheStartRevision() throws Exception {
        long first = put("app/a", "1");
        put("app/a", "2");
        Iterator<String> lines = tail("prefix=app/&startRevision=" + first);
        assertThat(next(lines).getString("event")).isEqualTo("created");
        assertThat(next(lines).getString("value")).isEqualTo("1");
        assertThat(next(lines).getString("value")).isEqualTo("2");
    }

    @Test
    void aCompactedStartRevisionCancelsTheTail() throws Exception {
        put("app/a", "1");
        long second = put("app/a", "2");
        put("app/a", "3");
        try (MvccWriteTxn w = store.beginWrite()) {
            w.compact(second);
            w.commit();
        }
        Iterator<String> lines = tail("prefix=app/&startRevision=1");
        assertThat(next(lines).getString("event")).isEqualTo("created");
        JsonObject canceled = next(lines);
        assertThat(canceled.getString("event")).isEqualTo("canceled");
        assertThat(canceled.getLong("compactRevision")).isEqualTo(second);
        assertThat(lines.hasNext()).isFalse(); // the server ended the stream
    }

    @Test
    void aBadStartRevisionIsRefused() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
                + "/api/watch?startRevision=soon")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("startRevision is not a number");
    }

    private long put(String key, String value) {
        try (MvccWriteTxn w = store.beginWrite()) {
            w.put(PutRequest.of(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
            var changes = w.changes();
            long rev = w.commit();
            hub.committed(rev, changes);
            return rev;
        }
    }

    private long delete(String key) {
        try (MvccWriteTxn w = store.beginWrite()) {
            w.deleteRange(DeleteRangeRequest.of(key.getBytes(StandardCharsets.UTF_8), null));
            var changes = w.changes();
            long rev = w.commit();
            hub.committed(rev, changes);
            return rev;
        }
    }
}
