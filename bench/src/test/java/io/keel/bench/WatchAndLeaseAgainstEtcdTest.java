package io.keel.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * keel-bench's {@code watch} and {@code lease-keepalive} against a real etcd (Debian's
 * {@code etcd-server}, installed by {@code .ci/run}): they speak etcd's Watch and Lease API, which
 * Keel serves once its watch and lease work is merged. Checks every event and keep-alive arrives;
 * never asserts on time.
 */
class WatchAndLeaseAgainstEtcdTest {
    private static final int READY_ATTEMPTS = 60;

    @TempDir
    static Path dir;
    private static Process etcd;
    private static String endpoint;

    @BeforeAll
    static void startEtcd() throws Exception {
        Path binary = Path.of("/usr/bin/etcd");
        assertThat(Files.isExecutable(binary)).as("etcd (Debian etcd-server) must be installed").isTrue();
        int client = freePort();
        int peer = freePort();
        endpoint = "127.0.0.1:" + client;
        String c = "http://" + endpoint;
        String p = "http://127.0.0.1:" + peer;
        etcd = new ProcessBuilder(binary.toString(), "--name", "e1", "--data-dir", dir.resolve("e1").toString(),
                "--listen-client-urls", c, "--advertise-client-urls", c, "--listen-peer-urls", p,
                "--initial-advertise-peer-urls", p, "--initial-cluster", "e1=" + p)
                .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
        Run last = null;
        for (int i = 0; i < READY_ATTEMPTS; i++) {
            last = bench("put", "--total", "1", "--timeout", "5s");
            if (last.code() == 0) {
                return;
            }
            // Not ready yet (connection refused fails at once): give etcd a moment before retrying.
            etcd.waitFor(500, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("etcd never acknowledged a put: " + last.output());
    }

    @AfterAll
    static void stopEtcd() throws InterruptedException {
        if (etcd != null) {
            etcd.destroy();
            etcd.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyWatcherReceivesEveryPutsEvent() throws Exception {
        Run r = bench("watch", "--streams", "4", "--watch-per-stream", "25", "--watched-key-total", "5",
                "--put-total", "50", "--clients", "4", "--conns", "2", "--timeout", "2m");

        assertThat(r.code()).as(r.output()).isZero();
        JsonObject json = r.json();
        assertThat(json.getLong("watchers")).isEqualTo(100);
        // 5 keys, 20 watchers each; 50 puts hit each key 10 times: 50 x 20 events.
        assertThat(json.getLong("events_expected")).isEqualTo(1000);
        assertThat(json.getLong("ok")).isEqualTo(1000);
        assertThat(json.getBoolean("complete")).isTrue();
        assertThat(r.output()).contains("watch-create summary", "watch-put summary");
    }

    @Test
    void everyKeepAliveIsAnsweredWithALiveLease() throws Exception {
        Run r = bench("lease-keepalive", "--total", "200", "--clients", "4", "--conns", "2");

        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.json().getLong("ok")).isEqualTo(200);
        assertThat(r.json().getLong("errors")).isZero();
    }

    private static Run bench(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--endpoints";
        all[args.length + 1] = endpoint;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = KeelBench.run(new PrintStream(buf, true, StandardCharsets.UTF_8), all);
        return new Run(code, buf.toString(StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private record Run(int code, String output) {
        JsonObject json() {
            String[] lines = output.strip().split("\n");
            return new JsonObject(lines[lines.length - 1]);
        }
    }
}
