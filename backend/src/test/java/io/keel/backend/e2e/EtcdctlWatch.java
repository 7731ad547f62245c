package io.keel.backend.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A long-running real {@code etcdctl watch}, its output lines collected as they come. */
final class EtcdctlWatch implements AutoCloseable {
    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final Thread stderrPump;

    private EtcdctlWatch(Process process) {
        this.process = process;
        pump(process.getInputStream(), stdout);
        stderrPump = pump(process.getErrorStream(), stderr);
    }

    static EtcdctlWatch start(String endpoints, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoints, "watch"));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("ETCDCTL_API", "3");
        return new EtcdctlWatch(pb.start());
    }

    private static Thread pump(java.io.InputStream in, List<String> into) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    into.add(line);
                }
            } catch (IOException e) {
                into.add("<read failed: " + e + ">");
            }
        }, "etcdctl-watch-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits (generously) until stdout has at least {@code n} lines; returns them all. */
    List<String> awaitLines(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (stdout.size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("etcdctl watch printed " + stdout + " / " + stderr + ", wanted " + n
                        + " lines");
            }
            Thread.sleep(10);
        }
        return List.copyOf(stdout);
    }

    /** Waits for the process to exit by itself; returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("etcdctl watch did not exit: " + stdout + " / " + stderr);
        }
        return process.exitValue();
    }

    List<String> stdout() {
        return List.copyOf(stdout);
    }

    /** What etcdctl wrote to stderr; once it exited, all of it (its pump reads to the end first). */
    String stderr() throws InterruptedException {
        if (!process.isAlive()) {
            // The process may exit before its pump thread has read what it wrote (a busy machine).
            stderrPump.join(TimeUnit.SECONDS.toMillis(60));
        }
        return String.join("\n", stderr);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
