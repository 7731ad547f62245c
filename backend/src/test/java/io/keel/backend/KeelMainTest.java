package io.keel.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, in process and as a real child JVM stopped with SIGTERM. */
class KeelMainTest {
    private static final long WAIT_SECONDS = 60;

    @Test
    void unknownFlagPrintsAClearErrorAndExitsWithTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        KeelMain.Parsed p = KeelMain.parse(new String[] {"--bogus"}, java.util.Map.of(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(p.exitCode()).isEqualTo(2);
        assertThat(p.config()).isNull();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("flag provided but not defined: -bogus");
    }

    @Test
    void helpListsEtcdsFlagNamesAndExitsWithZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KeelMain.Parsed p = KeelMain.parse(new String[] {"--help"}, java.util.Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(p.exitCode()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--initial-cluster-token", "--quota-backend-bytes");
    }

    private static Process startChild(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(System.getProperty("keel.jvm.flags", "").trim().split("\\s+")));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(KeelMain.class.getName());
        cmd.addAll(Arrays.asList(args));
        cmd.removeIf(String::isEmpty);
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    }

    private static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception ignored) {
                // The child is gone; the test sees the missing lines.
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static String awaitLine(BlockingQueue<String> lines, String prefix, List<String> seen) throws InterruptedException {
        while (true) {
            String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(line).as("line starting with '" + prefix + "' (saw " + seen + ")").isNotNull();
            seen.add(line);
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    @Test
    void aRealProcessServesThenStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        Process p = startChild(dir, "--listen-client-urls", "http://127.0.0.1:0", "--advertise-client-urls",
                "http://127.0.0.1:2379", "--listen-peer-urls", "http://127.0.0.1:0");
        try {
            BlockingQueue<String> lines = lines(p);
            List<String> seen = new ArrayList<>();
            assertThat(awaitLine(lines, "keel: member ", seen)).contains("8e9e05c52164694d").contains("cdf818194e3a8c32");
            String url = awaitLine(lines, "keel: serving gRPC and HTTP on ", seen).substring(31);
            String serving = seen.stream().filter(l -> l.contains("now serving peer/client/metrics")).findFirst()
                    .orElse("(no 'now serving' line in " + seen + ")");
            if ("Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch"))) {
                assertThat(serving).as("Netty's native transport, shipped for Linux x86-64")
                        .contains("\"network-transport\":\"epoll\"");
            }
            HttpResponse<String> version = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url + "/version")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(version.body()).contains("\"etcdcluster\":\"3.5.0\"");

            // SIGTERM through the handle: Process.destroy() would also close our end of its stdout.
            assertThat(p.toHandle().destroy()).isTrue();
            assertThat(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("exit code, output " + seen + lines).isEqualTo(143); // 128 + SIGTERM
            awaitLine(lines, "keel: stopped", seen);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aRealProcessExitsWithTwoOnABadFlag(@TempDir Path dir) throws Exception {
        Process p = startChild(dir, "--heartbeat-interval", "fast");
        assertThat(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(output).contains("keel: invalid value \"fast\" for flag -heartbeat-interval");
        assertThat(new File(dir.toFile(), "default.keel")).doesNotExist();
    }
}
