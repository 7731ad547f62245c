package io.keel.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real single-member Keel in a child JVM for the smoke test: the minimal part of backend's
 * e2e {@code KeelProcess} (KeelMain from this test classpath, the Keel JVM flags, readiness read
 * from the member's own output). Confined to the test thread, except the output pump.
 */
final class KeelMemberProcess implements AutoCloseable {
    private static final long START_TIMEOUT_SECONDS = 90;

    private final Path dataDir;
    private final int clientPort = freePort();
    private final int peerPort = freePort();
    private final ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
    private Process process;

    KeelMemberProcess(Path dataDir) {
        this.dataDir = dataDir;
    }

    String endpoint() {
        return "127.0.0.1:" + clientPort;
    }

    KeelMemberProcess start() throws Exception {
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(Arrays.asList(System.getProperty("keel.jvm.flags", "-Dchronicle.analytics.disable=true")
                .trim().split("\\s+")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.keel.backend.KeelMain",
                "--name", "bench1", "--data-dir", dataDir.toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "bench1=" + peer, "--initial-cluster-state", "new"));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Void> serving = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(serving), "keel-output-bench1");
        pump.setDaemon(true);
        pump.start();
        try {
            serving.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("member did not start; output:\n" + output(), e);
        }
        return this;
    }

    private void pump(CompletableFuture<Void> serving) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.add(line);
                if (line.startsWith("keel: serving gRPC and HTTP on")) {
                    serving.complete(null);
                }
            }
        } catch (IOException e) {
            serving.completeExceptionally(e);
        }
        serving.completeExceptionally(new IllegalStateException("member closed its output"));
    }

    String output() {
        return String.join("\n", output);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
