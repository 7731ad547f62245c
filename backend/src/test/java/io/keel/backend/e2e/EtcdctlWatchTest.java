package io.keel.backend.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
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
            // etcdctl prints nothing when a watch is created: wait for each to see a marker write.
            put("dir/marker", "m");
            put("r/b", "marker");
            prefix.awaitLines(3);
            range.awaitLines(3);
            put("dir/x", "1");
            put("dirt", "no");
            put("r/a", "no");
            put("r/c", "yes");
            put("r/d", "no");
            put("dir/y/z", "2");
            assertThat(prefix.awaitLines(9)).containsExactly("PUT", "dir/marker", "m", "PUT", "dir/x", "1",
                    "PUT", "dir/y/z", "2");
            assertThat(range.awaitLines(6)).containsExactly("PUT", "r/b", "marker", "PUT", "r/c", "yes");
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
