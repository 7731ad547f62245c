package io.keel.backend.e2e;

import io.keel.backend.cli.KeelUtlMain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * etcdctl snapshot save from a real Keel, then keelutl snapshot status and restore, then a new
 * member started on the restored data dir: the keys are there, in a new cluster.
 */
class SnapshotRestoreTest {
    private static final Pattern CLUSTER_ID = Pattern.compile("\"cluster_id\":(\\d+)");

    @TempDir
    Path dir;
    private final List<KeelProcess> started = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (KeelProcess p : started) {
            p.close();
        }
    }

    record Run(int exitCode, String stdout, String stderr) {
    }

    static Run keelutl(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = KeelUtlMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void savedSnapshotRestoresIntoANewClusterWithTheSameKeys() throws Exception {
        Etcdctl.requireInstalled();
        KeelProcess source = start(new KeelProcess("src", dir.resolve("src"), FreePorts.next(), FreePorts.next()),
                "etcd-cluster");
        String ep = source.clientUrl();
        for (int i = 0; i < 5; i++) {
            assertThat(Etcdctl.run(ep, "put", "restore/k" + i, "v" + i).ok()).isTrue();
        }
        Etcdctl.Result last = Etcdctl.run(ep, "put", "restore/last", "end", "-w", "json");
        long savedRevision = Members.revisionOf(last);
        String oldCluster = clusterId(last.stdout());
        Path file = dir.resolve("backup.db");
        assertThat(Etcdctl.run(ep, "snapshot", "save", file.toString()).ok()).isTrue();

        Run json = keelutl("snapshot", "status", file.toString(), "-w", "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(json.stdout()).matches("\\{\"hash\":\\d+,\"revision\":" + savedRevision
                + ",\"totalKey\":\\d+,\"totalSize\":\\d+}\n");
        Run simple = keelutl("snapshot", "status", file.toString());
        assertThat(simple.stdout()).matches("[0-9a-f]{1,8}, " + savedRevision + ", \\d+, \\d+(\\.\\d)? [kMG]?B\n");
        Run table = keelutl("snapshot", "status", file.toString(), "--write-out=table");
        assertThat(table.stdout().lines().toList().get(1)).matches("\\| +HASH +\\| REVISION \\| TOTAL KEYS \\| TOTAL SIZE \\|");

        Path restored = dir.resolve("restored");
        KeelProcess target = new KeelProcess("dst", restored, FreePorts.next(), FreePorts.next());
        Run restore = keelutl("snapshot", "restore", file.toString(), "--data-dir", restored.toString(),
                "--name", "dst", "--initial-cluster", "dst=" + target.peerUrl(),
                "--initial-cluster-token", "restored-token", "--initial-advertise-peer-urls", target.peerUrl());
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(restore.stderr()).contains("\"msg\":\"restored snapshot\"");

        start(target, "restored-token");
        String ep2 = target.clientUrl();
        assertThat(Etcdctl.run(ep2, "get", "restore/", "--prefix", "--keys-only").stdout())
                .isEqualTo("restore/k0\n\nrestore/k1\n\nrestore/k2\n\nrestore/k3\n\nrestore/k4\n\nrestore/last\n\n");
        assertThat(Etcdctl.run(ep2, "member", "list").stdout())
                .contains(", started, dst, " + target.peerUrl() + ", " + target.clientUrl() + ", false")
                .doesNotContain("src");
        Etcdctl.Result next = Etcdctl.run(ep2, "put", "restore/after", "x", "-w", "json");
        assertThat(clusterId(next.stdout())).isNotEqualTo(oldCluster);
        assertThat(Members.revisionOf(next)).isGreaterThan(savedRevision);
    }

    @Test
    void restoreRefusesAnExistingDirAndATamperedFile() throws Exception {
        Etcdctl.requireInstalled();
        KeelProcess source = start(new KeelProcess("src", dir.resolve("src"), FreePorts.next(), FreePorts.next()),
                "etcd-cluster");
        Path file = dir.resolve("backup.db");
        assertThat(Etcdctl.run(source.clientUrl(), "snapshot", "save", file.toString()).ok()).isTrue();
        Path existing = Files.createDirectories(dir.resolve("existing"));

        Run exists = keelutl("snapshot", "restore", file.toString(), "--data-dir", existing.toString());
        assertThat(exists.exitCode()).isEqualTo(1);
        assertThat(exists.stderr()).isEqualTo("Error: data-dir \"" + existing + "\" exists\n");

        byte[] bytes = Files.readAllBytes(file);
        bytes[100] ^= 0x5a;
        Path tampered = Files.write(dir.resolve("tampered.db"), bytes);
        Run bad = keelutl("snapshot", "restore", tampered.toString(), "--data-dir", dir.resolve("t").toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stderr()).contains("Error: snapshot sha256 mismatch");
        assertThat(dir.resolve("t")).doesNotExist();

        Run missing = keelutl("snapshot", "status", dir.resolve("nope.db").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).isEqualTo("Error: stat " + dir.resolve("nope.db") + ": no such file or directory\n");
    }

    private KeelProcess start(KeelProcess p, String token) throws Exception {
        started.add(p);
        p.start(p.name + "=" + p.peerUrl(), "new", "--initial-cluster-token", token);
        Members.awaitWritable(p.clientUrl());
        return p;
    }

    private static String clusterId(String json) {
        Matcher m = CLUSTER_ID.matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return m.group(1);
    }
}
