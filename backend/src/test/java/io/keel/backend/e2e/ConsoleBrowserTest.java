package io.keel.backend.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin console in a real browser (Debian's chromium driven by playwright-core) against a real
 * 3-member Keel cluster: every screen renders real data; a learner is added from the console,
 * its promotion held back (with the server's reason) while it is not caught up, and removed;
 * leadership moves; a NOSPACE alarm
 * is cleared by compaction, defragment and disarm; the key browser pages through 100,000 keys.
 * The browser side is web-ui/e2e/console.e2e.mjs, run with the Node the web-ui build installed;
 * it saves a screenshot of each screen into web-ui/screenshots/.
 */
class ConsoleBrowserTest {
    static final int KEYS = 100_000;
    private static final int KEYS_PER_TXN = 10_000;
    /** Large enough for 100,000 small keys, small enough to fill with a few dozen 1 MiB values. */
    private static final long QUOTA_BYTES = 24L * 1024 * 1024;
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

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
        try {
            String cluster = Members.initialCluster(members);
            for (KeelProcess m : members) {
                m.start(cluster, "new", "--quota-backend-bytes", String.valueOf(QUOTA_BYTES),
                        "--max-txn-ops", String.valueOf(KEYS_PER_TXN));
            }
            String endpoints = Members.endpoints(members);
            Members.awaitWritable(endpoints);
            loadKeys(endpoints);

            ProcessBuilder pb = new ProcessBuilder(node.toString(), webUi.resolve("e2e/console.e2e.mjs").toString())
                    .directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().put("KEEL_URLS", Members.endpoints(members));
            pb.environment().put("KEEL_NEW_PEER_URL", "http://127.0.0.1:" + FreePorts.next());
            pb.environment().put("KEEL_NEW_CLIENT_URL", "http://127.0.0.1:" + FreePorts.next());
            pb.environment().put("KEEL_KEYS", String.valueOf(KEYS));
            pb.environment().put("CHROMIUM", CHROMIUM.toString());
            pb.environment().put("SCREENSHOTS", webUi.resolve("screenshots").toString());
            Process browser = pb.start();
            StringBuilder out = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(browser.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("[browser] " + line);
                    out.append(line).append('\n');
                }
            }
            assertThat(browser.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(browser.exitValue()).as(out.toString()).isZero();
            assertThat(out.toString()).contains("console e2e: all steps passed");
        } finally {
            for (KeelProcess m : members) {
                m.close();
            }
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
