package io.keel.dashboards;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Prometheus (Debian's binary) on a free loopback port with its data in a temp dir, scraping
 * the given targets every second under job {@code keel}. Confined to the test thread.
 */
final class PrometheusServer implements AutoCloseable {
    static final String JOB = "keel";

    private final Process process;
    private final int port = KeelCluster.freePort();
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    PrometheusServer(Path dir, List<String> targets) throws Exception {
        String config = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n"
                + "  - job_name: " + JOB + "\n    scrape_timeout: 1s\n    static_configs:\n      - targets: ["
                + targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", ")) + "]\n";
        Path cfg = dir.resolve("prometheus.yml");
        Files.writeString(cfg, config);
        log = dir.resolve("prometheus.log");
        process = new ProcessBuilder(Promtool.binary("prometheus").toString(), "--config.file=" + cfg,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-lifecycle")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited:\n" + Files.readString(log));
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200); // poll pacing
        }
        throw new IllegalStateException("prometheus not ready:\n" + Files.readString(log));
    }

    /** Runs an instant query; returns the number of result samples (or -1 with the error on failure). */
    Answer query(String promql) throws Exception {
        HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        JsonObject body = new JsonObject(r.body());
        if (!"success".equals(body.getString("status"))) {
            return new Answer(-1, body.getString("error"));
        }
        JsonObject data = body.getJsonObject("data");
        Object result = data.getValue("result");
        int n = result instanceof io.vertx.core.json.JsonArray a ? a.size() : (result == null ? 0 : 1);
        return new Answer(n, data.getString("resultType"));
    }

    record Answer(int samples, String detail) {
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
