package io.keel.dashboards;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real 3-member Keel cluster in child JVMs on loopback (KeelMain from this test classpath, with the
 * Keel JVM flags), each with a client port and a {@code --listen-metrics-urls} port. Readiness comes
 * from each member's own output and a successful etcdctl write, never from guessing time.
 * Confined to the test thread, except the output pumps.
 */
final class KeelCluster implements AutoCloseable {
    private static final long START_SECONDS = 300;
    private static final long WRITABLE_SECONDS = 300;

    /** One member's ports and process. */
    static final class Member {
        final String name;
        final int clientPort = freePort();
        final int peerPort = freePort();
        final int metricsPort = freePort();
        Process process;
        final ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();

        Member(String name) {
            this.name = name;
        }

        String clientUrl() {
            return "http://127.0.0.1:" + clientPort;
        }

        String peerUrl() {
            return "http://127.0.0.1:" + peerPort;
        }

        String metricsUrl() {
            return "http://127.0.0.1:" + metricsPort;
        }
    }

    private final List<Member> members = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static KeelCluster start(Path dir) throws Exception {
        KeelCluster c = new KeelCluster();
        try {
            c.startAll(dir);
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void startAll(Path dir) throws Exception {
        for (String n : List.of("m1", "m2", "m3")) {
            members.add(new Member(n));
        }
        String initial = members.stream().map(m -> m.name + "=" + m.peerUrl()).collect(Collectors.joining(","));
        List<CompletableFuture<Void>> serving = new ArrayList<>();
        for (Member m : members) {
            serving.add(launch(m, dir.resolve(m.name), initial));
        }
        for (int i = 0; i < members.size(); i++) {
            try {
                serving.get(i).get(START_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("member " + members.get(i).name + " did not start:\n"
                        + String.join("\n", members.get(i).output), e);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WRITABLE_SECONDS);
        String last = "";
        while (System.nanoTime() < deadline) {
            Etcdctl.Result r = Etcdctl.run(endpoints(), "put", "keel-ready", "1");
            if (r.ok()) {
                return;
            }
            last = r.toString();
            Thread.sleep(500); // retry pacing while the cluster elects, not synchronisation
        }
        throw new IllegalStateException("cluster never became writable: " + last);
    }

    private CompletableFuture<Void> launch(Member m, Path dataDir, String initial) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx384m");
        cmd.addAll(Arrays.asList(System.getProperty("keel.jvm.flags", "-Dchronicle.analytics.disable=true")
                .trim().split("\\s+")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.keel.backend.KeelMain",
                "--name", m.name, "--data-dir", dataDir.toString(),
                "--listen-client-urls", m.clientUrl(), "--advertise-client-urls", m.clientUrl(),
                "--listen-peer-urls", m.peerUrl(), "--initial-advertise-peer-urls", m.peerUrl(),
                "--listen-metrics-urls", m.metricsUrl(),
                "--initial-cluster", initial, "--initial-cluster-state", "new",
                "--heartbeat-interval", "100", "--election-timeout", "1000"));
        m.process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Void> serving = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(m.process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    m.output.add(line);
                    if (line.startsWith("keel: listening for peers")) {
                        serving.complete(null);
                    }
                }
            } catch (IOException ignored) {
                // the process is gone; start() reports what it printed
            }
            serving.completeExceptionally(new IllegalStateException("exited before serving"));
        }, "keel-output-" + m.name);
        pump.setDaemon(true);
        pump.start();
        return serving;
    }

    List<Member> members() {
        return members;
    }

    String endpoints() {
        return members.stream().map(Member::clientUrl).collect(Collectors.joining(","));
    }

    /** GET {@code url}/metrics. */
    String scrape(String baseUrl) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(baseUrl + "/metrics answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    @Override
    public void close() throws InterruptedException {
        for (Member m : members) {
            if (m.process != null) {
                m.process.destroy();
            }
        }
        for (Member m : members) {
            if (m.process != null && !m.process.waitFor(30, TimeUnit.SECONDS)) {
                m.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
