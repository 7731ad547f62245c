package io.keel.backend.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Acknowledged writes survive kill -9 of the member that acknowledged them. */
class DurabilityTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedPutSurvivesKillNineAndRestart() throws Exception {
        Etcdctl.requireInstalled();
        int client = FreePorts.next();
        int peer = FreePorts.next();
        List<String> acknowledged = new ArrayList<>();
        long lastRevision;
        try (KeelProcess m = new KeelProcess("d1", dir.resolve("d1"), client, peer)) {
            m.start("d1=" + m.peerUrl(), "new");
            Members.awaitWritable(m.clientUrl());
            for (int i = 0; i < 40; i++) {
                if (Etcdctl.run(m.clientUrl(), "put", "k" + i, "v" + i).ok()) {
                    acknowledged.add("k" + i);
                }
            }
            lastRevision = Members.revisionOf(Etcdctl.run(m.clientUrl(), "get", "k0", "-w", "json"));
            m.kill9();
        }
        assertThat(acknowledged).hasSize(40);

        try (KeelProcess again = new KeelProcess("d1", dir.resolve("d1"), client, peer)) {
            again.start("d1=" + again.peerUrl(), "new");
            Members.awaitWritable(again.clientUrl());
            for (String k : acknowledged) {
                assertThat(Etcdctl.run(again.clientUrl(), "get", k, "--print-value-only").stdout())
                        .as(k).isEqualTo("v" + k.substring(1) + "\n");
            }
            long revisionNow = Members.revisionOf(Etcdctl.run(again.clientUrl(), "get", "k0", "-w", "json"));
            assertThat(revisionNow).isGreaterThan(lastRevision); // the ready-probe write came after
        }
    }

    @Test
    void theFirstPutRightAfterStartIsAcknowledgedWithoutWaitingForTheElection() throws Exception {
        Etcdctl.requireInstalled();
        try (KeelProcess m = new KeelProcess("f1", dir.resolve("f1"), FreePorts.next(), FreePorts.next())) {
            m.start("f1=" + m.peerUrl(), "new");

            Etcdctl.Result put = Etcdctl.run(m.clientUrl(), "put", "foo", "bar");

            assertThat(put.stdout()).as(put.toString()).isEqualTo("OK\n");
            assertThat(Etcdctl.run(m.clientUrl(), "get", "foo").stdout()).isEqualTo("foo\nbar\n");
        }
    }
}
