package io.keel.backend.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A real single-member Keel, driven by real etcdctl as an operator would. */
class SingleMemberEtcdctlTest {
    @TempDir
    static Path dir;
    private static TestCluster cluster;
    private static KeelProcess member;
    private static String ep;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(dir, "s", 1);
        member = cluster.members.get(0);
        ep = cluster.endpoints();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void putThenGetReturnsTheValueWithEtcdsHeader() throws Exception {
        assertThat(Etcdctl.run(ep, "put", "foo", "bar").stdout()).isEqualTo("OK\n");
        assertThat(Etcdctl.run(ep, "get", "foo").stdout()).isEqualTo("foo\nbar\n");
        String json = Etcdctl.run(ep, "get", "foo", "-w", "json").stdout();
        assertThat(json).contains("\"cluster_id\":", "\"member_id\":", "\"raft_term\":", "\"count\":1");
    }

    @Test
    void prefixRangesDeletesAndTxnsWorkAsInEtcd() throws Exception {
        for (String k : List.of("p/a", "p/b", "p/c")) {
            assertThat(Etcdctl.run(ep, "put", k, "v-" + k).ok()).isTrue();
        }
        assertThat(Etcdctl.run(ep, "get", "p/", "--prefix", "--keys-only").stdout()).isEqualTo("p/a\n\np/b\n\np/c\n\n");
        assertThat(Etcdctl.run(ep, "get", "p/", "--prefix", "--limit=1", "--order=DESCEND").stdout())
                .isEqualTo("p/c\nv-p/c\n");
        assertThat(Etcdctl.run(ep, "del", "p/b", "--prev-kv").stdout()).isEqualTo("1\np/b\nv-p/b\n");

        Etcdctl.Result txn = Etcdctl.runWithInput(ep, "value(\"p/a\") = \"v-p/a\"\n\nput p/a 10\n\nput p/a never\n\n", "txn");

        assertThat(txn.stdout()).isEqualTo("SUCCESS\n\nOK\n");
        assertThat(Etcdctl.run(ep, "get", "p/a", "--print-value-only").stdout()).isEqualTo("10\n");
        Etcdctl.Result failed = Etcdctl.runWithInput(ep, "value(\"p/a\") = \"nope\"\n\nput p/a never\n\nput p/a else\n\n", "txn");
        assertThat(failed.stdout()).isEqualTo("FAILURE\n\nOK\n");
    }

    @Test
    void badRequestsGetEtcdsErrorsAndTheServerKeepsServing() throws Exception {
        assertThat(Etcdctl.run(ep, "put", "", "x").stderr()).contains("etcdserver: key is not provided");
        assertThat(Etcdctl.run(ep, "get", "foo", "--rev=100000000").stderr())
                .contains("etcdserver: mvcc: required revision is a future revision");
        assertThat(Etcdctl.run(ep, "put", "k", "v", "--lease=1234").stderr())
                .contains("etcdserver: requested lease not found");
        assertThat(Etcdctl.run(ep, "put", "after-errors", "ok").stdout()).isEqualTo("OK\n");
    }

    @Test
    void compactionMakesOlderRevisionsUnreadable() throws Exception {
        long first = Members.revisionOf(Etcdctl.run(ep, "put", "c", "1", "-w", "json"));
        long second = Members.revisionOf(Etcdctl.run(ep, "put", "c", "2", "-w", "json"));
        assertThat(Etcdctl.run(ep, "get", "c", "--rev=" + first, "--print-value-only").stdout()).isEqualTo("1\n");

        assertThat(Etcdctl.run(ep, "compaction", String.valueOf(second)).stdout())
                .isEqualTo("compacted revision " + second + "\n");

        assertThat(Etcdctl.run(ep, "get", "c", "--rev=" + first).stderr())
                .contains("etcdserver: mvcc: required revision has been compacted");
        assertThat(Etcdctl.run(ep, "get", "c", "--print-value-only").stdout()).isEqualTo("2\n");
    }

    @Test
    void memberListShowsThisMemberStartedWithItsUrls() throws Exception {
        String list = Etcdctl.run(ep, "member", "list").stdout();
        assertThat(list).contains(", started, s1, " + member.peerUrl() + ", " + member.clientUrl() + ", false");
        assertThat(Etcdctl.run(ep, "endpoint", "health").stderr()).contains("is healthy");
    }

    @Test
    void snapshotSaveWritesAFileThatEtcdctlVerifies() throws Exception {
        Etcdctl.run(ep, "put", "snap-key", "snap-value");
        Path file = dir.resolve("backup.db");

        Etcdctl.Result saved = Etcdctl.run(ep, "snapshot", "save", file.toString());

        assertThat(saved.stdout()).as(saved.toString()).contains("Snapshot saved at " + file);
        long size = java.nio.file.Files.size(file);
        assertThat((size - 32) % 512).isZero(); // the store's bytes, then their SHA-256
    }
}
