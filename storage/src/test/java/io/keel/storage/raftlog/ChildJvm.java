package io.keel.storage.raftlog;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a test main class with this JVM's classpath and Keel's JVM flags (so
 * Chronicle never phones home there either). The test reads its stdout line by line: children
 * report progress there, and that is what tests synchronise on. Only complete (newline-terminated)
 * lines count: a line cut by SIGKILL was never fully reported. Owned by one test; not thread-safe.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final InputStream stdout;
    private final Path stderr;

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stdout = new BufferedInputStream(process.getInputStream());
        this.stderr = stderr;
    }

    static ChildJvm start(Class<?> main, Path stderr, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String flags = System.getProperty("keel.jvm.flags", "-Dchronicle.analytics.disable=true");
        Arrays.stream(flags.trim().split("\\s+")).filter(f -> !f.isEmpty()).forEach(cmd::add);
        // Short-lived children: start fast rather than run fast.
        cmd.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        return new ChildJvm(pb.start(), stderr);
    }

    /** The next complete line starting with {@code prefix}; null if the child's stdout ends first. */
    String nextLine(String prefix) throws IOException {
        String line;
        while ((line = readCompleteLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        return null;
    }

    /**
     * After {@link #kill()}: every complete line starting with {@code prefix} that the child wrote
     * and this test has not read yet. A busy machine can leave the test many reports behind the
     * child; what the child reported before it died still counts.
     */
    List<String> remainingLines(String prefix) throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("the child is still running: kill it first");
        }
        List<String> out = new ArrayList<>();
        String line;
        while ((line = nextLine(prefix)) != null) {
            out.add(line);
        }
        return out;
    }

    private String readCompleteLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = stdout.read()) >= 0) {
            if (b == '\n') {
                return buf.toString(StandardCharsets.UTF_8).stripTrailing();
            }
            buf.write(b);
        }
        return null; // end of stream: a partial line was cut by the kill
    }

    /** The last {@code lines} lines of the child's stderr file, for failure messages. */
    String stderrTail(int lines) {
        return tail(stderr, lines);
    }

    static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no stderr file " + file + ")";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    /**
     * SIGKILL, as kill -9: no shutdown hooks, no unmapping, no flushing. Waits until it is gone.
     * Through the process handle: {@code Process.destroyForcibly} would also close our end of its
     * stdout, and the reports still in the pipe would be lost.
     */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor();
    }

    int waitForExit(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            kill();
            throw new AssertionError("child did not exit within " + timeoutSeconds + "s");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
