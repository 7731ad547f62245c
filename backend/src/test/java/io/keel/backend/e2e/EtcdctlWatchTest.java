package io.keel.backend.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real {@code etcdctl watch} against one real Keel member: history, prev-kv, prefix, ranges, compaction. */
class EtcdctlWatchTest {
    @TempDir
    static Path dir;
    private static KeelProcess member;
    private static String endpoint;

    @BeforeAll
    static void start() throws Exception {
        Etcdctl.requireInstalled();
        member = new KeelProcess("w1", dir.resolve("w1"), FreePorts.next(), FreePorts.next());
        member.start("w1=" + member.peerUrl(), "new");
        endpoint = member.clientUrl();
        Members.awaitWritable(endpoint);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (member != null) {
            member.close();
        }
    }

    private static long put(String key, String value) throws Exception {
        return Members.revisionOf(Etcdctl.run(endpoint, "put", key, value, "-w", "json"));
    }

    @Test
    void watchFromAPastRevisionWithPrevKvReplaysThenFollows() throws Exception {
        long first = put("pk", "a");
        put("pk", "b");
        try (EtcdctlWatch w = EtcdctlWatch.start(endpoint, "pk", "--prev-kv", "--rev=" + first)) {
            w.awaitLines(3 + 5);
            put("pk", "c");
            assertThat(Etcdctl.run(endpoint, "del", "pk").stdout()).isEqualTo("1\n");
            List<String> out = w.awaitLines(3 + 5 + 5 + 5);
            assertThat(out).containsExactly(
                    "PUT", "pk", "a",
                    "PUT", "pk", "a", "pk", "b",
                    "PUT", "pk", "b", "pk", "c",
                    "DELETE", "pk", "c", "pk", "");
        }
    }

    @Test
    void prefixAndRangeWatchesSeeOnlyTheirKeys() throws Exception {
        try (EtcdctlWatch prefix = EtcdctlWatch.start(endpoint, "--prefix", "dir/");
             EtcdctlWatch range = EtcdctlWatch.start(endpoint, "r/b", "r/d")) {
            // etcdctl prints nothing when a watch is created: a marker write, repeated until the watch
            // prints it (a put made before the watch exists is never shown; a slow machine starts
            // etcdctl late), says it is there.
            putUntilShown(prefix, "dir/marker");
            putUntilShown(range, "r/b");
            put("dir/x", "1");
            put("dirt", "no");
            put("r/a", "no");
            put("r/c", "yes");
            put("r/d", "no");
            put("dir/y/z", "2");
            assertThat(afterMarkers(prefix, "dir/marker", 6)).containsExactly("PUT", "dir/x", "1",
                    "PUT", "dir/y/z", "2");
            assertThat(afterMarkers(range, "r/b", 3)).containsExactly("PUT", "r/c", "yes");
        }
    }

    private static void putUntilShown(EtcdctlWatch w, String key) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            put(key, "marker");
            long next = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < next) {
                if (w.stdout().size() >= 3) {
                    return;
                }
                Thread.sleep(10);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("etcdctl watch never printed " + key + ": " + w.stdout());
            }
        }
    }

    /** The lines after the marker puts (each printed as PUT, key, marker), once there are {@code n}. */
    private static List<String> afterMarkers(EtcdctlWatch w, String marker, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<String> lines = w.stdout();
            int i = 0;
            while (i + 2 < lines.size() && lines.get(i).equals("PUT") && lines.get(i + 1).equals(marker)
                    && lines.get(i + 2).equals("marker")) {
                i += 3;
            }
            if (lines.size() - i >= n) {
                return lines.subList(i, lines.size());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("etcdctl watch printed " + lines + ", wanted " + n + " lines after the markers");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aWatchFromACompactedRevisionIsCanceledWithEtcdsMessage() throws Exception {
        long old = put("ck", "1");
        put("ck", "2");
        long now = put("ck", "3");
        assertThat(Etcdctl.run(endpoint, "compact", Long.toString(now)).stdout())
                .isEqualTo("compacted revision " + now + "\n");
        try (EtcdctlWatch w = EtcdctlWatch.start(endpoint, "ck", "--rev=" + old)) {
            assertThat(w.awaitExit()).isNotZero();
            assertThat(w.stderr()).contains("watch was canceled (etcdserver: mvcc: required revision has been compacted)");
        }
        try (EtcdctlWatch w = EtcdctlWatch.start(endpoint, "ck", "--rev=" + now)) {
            assertThat(w.awaitLines(3)).containsExactly("PUT", "ck", "3");
        }
    }
}
