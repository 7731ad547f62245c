package io.keel.backend.e2e;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real single-member etcd (Debian's etcd-server, 3.4) on free loopback ports, the oracle of the
 * differential tests. Readiness is read from etcd's own log. Confined to the test thread, except
 * the output pump.
 */
final class EtcdProcess implements AutoCloseable {
    private static final long START_TIMEOUT_SECONDS = 60;

    final String name;
    final int clientPort;
    final int peerPort;
    private final Path dataDir;
    private Process process;
    private final ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();

    EtcdProcess(String name, Path dataDir, int clientPort, int peerPort) {
        this.name = name;
        this.dataDir = dataDir;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
    }

    static void requireInstalled() {
        boolean found = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> new File(dir, "etcd").canExecute());
        if (!found) {
            throw new IllegalStateException("etcd is not on PATH: install Debian's etcd-server (.ci/run does)");
        }
    }

    String clientUrl() {
        return "http://127.0.0.1:" + clientPort;
    }

    String peerUrl() {
        return "http://127.0.0.1:" + peerPort;
    }

    EtcdProcess start(String... extraFlags) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("etcd", "--name", name, "--data-dir", dataDir.toString(),
                "--listen-client-urls", clientUrl(), "--advertise-client-urls", clientUrl(),
                "--listen-peer-urls", peerUrl(), "--initial-advertise-peer-urls", peerUrl(),
                "--initial-cluster", name + "=" + peerUrl(), "--initial-cluster-state", "new",
                "--heartbeat-interval", "50", "--election-timeout", "500"));
        cmd.addAll(Arrays.asList(extraFlags));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
        process = pb.start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    if (line.contains("ready to serve client requests")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("etcd exited"));
        }, "etcd-output-" + name);
        pump.setDaemon(true);
        pump.start();
        try {
            ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("etcd did not start; output:\n" + String.join("\n", output), e);
        }
        return this;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
