package io.keel.backend.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin console in a real browser (Debian's chromium driven by playwright-core) against a real
 * 3-member Keel cluster: every screen renders real data; a learner is added from the console,
 * its promotion held back (with the server's reason) until it is started (by this test, when the
 * script asks on its output) and caught up, then promoted and removed; leadership moves; a NOSPACE
 * alarm is cleared by compaction, defragment and disarm; the key browser pages through 100,000
 * keys; a lease counts down and is revoked; a watch tail shows a put and a delete; slow requests
 * (a 1 ms threshold) link their trace ids, which reached our OTLP receiver, to Jaeger; the metrics
 * charts show values. The browser side is web-ui/e2e/console.e2e.mjs, run with the Node the web-ui
 * build installed; it saves a screenshot of each screen into target/console-screenshots/ (the
 * committed ones in web-ui/screenshots/ are copied from there by hand).
 */
class ConsoleBrowserTest {
    static final int KEYS = 100_000;
    private static final int KEYS_PER_TXN = 10_000;
    /** Large enough for 100,000 small keys, small enough to fill with a few dozen 1 MiB values. */
    private static final long QUOTA_BYTES = 24L * 1024 * 1024;
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String JAEGER_URL = "http://jaeger.keel.test:16686";
    private static final Pattern SLOW_TRACE = Pattern.compile("console e2e: slow trace ([0-9a-f]{32})");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void theConsoleRunsTheClusterInARealBrowser() throws Exception {
        Path webUi = Path.of("..", "web-ui").toAbsolutePath().normalize();
        Path node = webUi.resolve("target/node/node");
        assertThat(node).as("Node installed by the web-ui build (mvn -pl backend -am)").exists();
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium; .ci/run installs it)").exists();
        Etcdctl.requireInstalled();

        List<KeelProcess> members = new ArrayList<>();
        for (String name : List.of("c1", "c2", "c3")) {
            members.add(new KeelProcess(name, dir.resolve(name), FreePorts.next(), FreePorts.next()));
        }
        KeelProcess learner = new KeelProcess("c4", dir.resolve("c4"), FreePorts.next(), FreePorts.next());
        try (OtlpTraceReceiver traces = new OtlpTraceReceiver()) {
            String cluster = Members.initialCluster(members);
            String[] flags = {"--quota-backend-bytes", String.valueOf(QUOTA_BYTES),
                "--max-txn-ops", String.valueOf(KEYS_PER_TXN), "--slow-request-threshold", "1ms",
                "--console-jaeger-url", JAEGER_URL, "--enable-distributed-tracing",
                "--distributed-tracing-address", traces.address(), "--distributed-tracing-service-name", "keel",
                "--distributed-tracing-sampling-rate", "1000000"};
            for (KeelProcess m : members) {
                m.start(cluster, "new", flags);
            }
            String endpoints = Members.endpoints(members);
            Members.awaitWritable(endpoints);
            loadKeys(endpoints);

            ProcessBuilder pb = new ProcessBuilder(node.toString(), webUi.resolve("e2e/console.e2e.mjs").toString())
                    .directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().put("KEEL_URLS", Members.endpoints(members));
            pb.environment().put("KEEL_NEW_PEER_URL", learner.peerUrl());
            pb.environment().put("KEEL_NEW_CLIENT_URL", learner.clientUrl());
            pb.environment().put("JAEGER_URL", JAEGER_URL);
            pb.environment().put("KEEL_KEYS", String.valueOf(KEYS));
            pb.environment().put("CHROMIUM", CHROMIUM.toString());
            pb.environment().put("SCREENSHOTS", Path.of("target", "console-screenshots").toAbsolutePath().toString());
            Process browser = pb.start();
            StringBuilder out = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(browser.getInputStream(),
                    StandardCharsets.UTF_8)); Writer answers = new OutputStreamWriter(browser.getOutputStream(),
                    StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("[browser] " + line);
                    out.append(line).append('\n');
                    if (line.equals("console e2e: START LEARNER")) {
                        answers.write(startLearner(learner, members, flags) + "\n");
                        answers.flush();
                    }
                }
            }
            assertThat(browser.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(browser.exitValue()).as(out.toString()).isZero();
            assertThat(out.toString()).contains("console e2e: all steps passed");
            Matcher slow = SLOW_TRACE.matcher(out);
            assertThat(slow.find()).as("the slow request's trace id").isTrue();
            String traceId = slow.group(1);
            traces.await(spans -> spans.stream().anyMatch(sp -> sp.traceId().equals(traceId)), Duration.ofSeconds(60));
        } finally {
            learner.close();
            for (KeelProcess m : members) {
                m.close();
            }
        }
    }

    /** Starts the member the console added, as its shown command does; the script's answer. */
    private static String startLearner(KeelProcess learner, List<KeelProcess> members, String[] flags) {
        List<KeelProcess> all = new ArrayList<>(members);
        all.add(learner);
        try {
            learner.start(Members.initialCluster(all), "existing", flags);
            return "started";
        } catch (Exception e) {
            System.out.println("[test] the learner did not start: " + e.getMessage());
            return "failed: " + e.getMessage().replace('\n', ' ');
        }
    }

    /** 100,000 keys bulk/00000 ... bulk/99999, ten transactions of 10,000 puts each. */
    private static void loadKeys(String endpoints) throws Exception {
        for (int start = 0; start < KEYS; start += KEYS_PER_TXN) {
            StringBuilder txn = new StringBuilder("\n");
            for (int i = start; i < start + KEYS_PER_TXN; i++) {
                txn.append(String.format("put bulk/%05d v%d%n", i, i));
            }
            txn.append("\n\n");
            Etcdctl.Result r = Etcdctl.runWithInput(endpoints, txn.toString(), "txn");
            assertThat(r.ok()).as(r.toString()).isTrue();
        }
    }
}
