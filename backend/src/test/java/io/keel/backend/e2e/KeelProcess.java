package io.keel.backend.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real Keel member in a child JVM (KeelMain from the test classpath, with the Keel JVM flags),
 * for end-to-end tests. Readiness is read from the member's own output, never guessed by time.
 * Confined to the test thread, except the output pump.
 */
final class KeelProcess implements AutoCloseable {
    // Generous: on a loaded 2-core machine a member JVM has been seen taking over a minute to start.
    private static final long START_TIMEOUT_SECONDS = 180;

    final String name;
    final Path dataDir;
    final int clientPort;
    final int peerPort;
    private Process process;
    private Thread pump;
    private final ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();

    KeelProcess(String name, Path dataDir, int clientPort, int peerPort) {
        this.name = name;
        this.dataDir = dataDir;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
    }

    String clientUrl() {
        return "http://127.0.0.1:" + clientPort;
    }

    String peerUrl() {
        return "http://127.0.0.1:" + peerPort;
    }

    /** Starts the member and returns once it serves its client port. */
    KeelProcess start(String initialCluster, String clusterState, String... extraFlags) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(Arrays.asList(System.getProperty("keel.jvm.flags", "-Dchronicle.analytics.disable=true")
                .trim().split("\\s+")));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.keel.backend.KeelMain");
        cmd.addAll(List.of("--name", name, "--data-dir", dataDir.toString(),
                "--listen-client-urls", clientUrl(), "--advertise-client-urls", clientUrl(),
                "--listen-peer-urls", peerUrl(), "--initial-advertise-peer-urls", peerUrl(),
                "--initial-cluster", initialCluster, "--initial-cluster-state", clusterState,
                "--heartbeat-interval", "50", "--election-timeout", "500"));
        cmd.addAll(Arrays.asList(extraFlags));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Void> serving = new CompletableFuture<>();
        pump = new Thread(() -> pump(serving), "keel-output-" + name);
        pump.setDaemon(true);
        pump.start();
        try {
            serving.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("member " + name + " did not start; output:\n" + output(), e);
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
        // The output ended: the member is exiting (complete is a no-op if it had started).
        serving.completeExceptionally(new IllegalStateException("member " + name + " closed its output"));
    }

    /** SIGKILL: no shutdown hook runs, nothing unsynced survives but what the OS already has. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        pump.join(TimeUnit.SECONDS.toMillis(30));
    }

    /** SIGTERM, and the exit code. */
    int stop() throws InterruptedException {
        // SIGTERM through the handle: Process.destroy() would also close our end of the member's
        // stdout, and everything it prints while stopping would be lost.
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        pump.join(TimeUnit.SECONDS.toMillis(30)); // everything the member printed is read
        return process.exitValue();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    String output() {
        return String.join("\n", output);
    }

    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            kill9();
        }
    }
}
