package io.keel.backend.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Leases on a real single-member Keel, driven by real etcdctl. */
class LeaseEtcdctlTest {
    private static final Pattern GRANTED = Pattern.compile("lease ([0-9a-f]+) granted with TTL\\((\\d+)s\\)");
    private static final int EXPIRY_POLLS = 600;

    @TempDir
    static Path dir;
    private static KeelProcess member;
    private static String ep;

    @BeforeAll
    static void start() throws Exception {
        Etcdctl.requireInstalled();
        member = new KeelProcess("l1", dir.resolve("l1"), FreePorts.next(), FreePorts.next());
        member.start("l1=" + member.peerUrl(), "new");
        ep = member.clientUrl();
        Members.awaitWritable(ep);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (member != null) {
            member.close();
        }
    }

    private static String grant(long ttl) throws Exception {
        String out = Etcdctl.run(ep, "lease", "grant", String.valueOf(ttl)).stdout();
        Matcher m = GRANTED.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    @Test
    void grantAttachKeepAliveListAndRevokeWorkAsInEtcd() throws Exception {
        String id = grant(600);
        assertThat(Etcdctl.run(ep, "put", "leased/a", "1", "--lease=" + id).stdout()).isEqualTo("OK\n");
        assertThat(Etcdctl.run(ep, "put", "leased/b", "2", "--lease=" + id).stdout()).isEqualTo("OK\n");

        assertThat(Etcdctl.run(ep, "lease", "timetolive", id, "--keys").stdout())
                .matches("lease " + id + " granted with TTL\\(600s\\), remaining\\((599|600)s\\), "
                        + "attached keys\\(\\[leased/a leased/b\\]\\)\n");
        assertThat(Etcdctl.run(ep, "lease", "keep-alive", "--once", id).stdout())
                .isEqualTo("lease " + id + " keepalived with TTL(600)\n");
        assertThat(Etcdctl.run(ep, "lease", "list").stdout()).contains(id);

        assertThat(Etcdctl.run(ep, "lease", "revoke", id).stdout()).isEqualTo("lease " + id + " revoked\n");

        assertThat(Etcdctl.run(ep, "get", "leased/", "--prefix", "--count-only", "-w", "json").stdout())
                .doesNotContain("\"count\"");
        assertThat(Etcdctl.run(ep, "lease", "timetolive", id).stdout()).isEqualTo("lease " + id + " already expired\n");
        assertThat(Etcdctl.run(ep, "lease", "revoke", id).stderr()).contains("etcdserver: requested lease not found");
        assertThat(Etcdctl.run(ep, "put", "leased/c", "3", "--lease=" + id).stderr())
                .contains("etcdserver: requested lease not found");
    }

    @Test
    void aRevokeDeletesEveryAttachedKeyInOneRevision() throws Exception {
        String id = grant(600);
        Etcdctl.run(ep, "put", "one/a", "1", "--lease=" + id);
        Etcdctl.run(ep, "put", "one/b", "2", "--lease=" + id);
        long before = Members.revisionOf(Etcdctl.run(ep, "get", "one/a", "-w", "json"));

        Etcdctl.run(ep, "lease", "revoke", id);

        long after = Members.revisionOf(Etcdctl.run(ep, "get", "one/a", "-w", "json"));
        assertThat(after).isEqualTo(before + 1);
    }

    @Test
    void aKeyMovedToAnotherLeaseOrOverwrittenWithoutOneSurvivesTheFirstLease() throws Exception {
        String first = grant(600);
        String second = grant(600);
        Etcdctl.run(ep, "put", "move/a", "1", "--lease=" + first);
        Etcdctl.run(ep, "put", "move/b", "1", "--lease=" + first);
        Etcdctl.run(ep, "put", "move/a", "2", "--lease=" + second);
        Etcdctl.run(ep, "put", "move/b", "2");

        Etcdctl.run(ep, "lease", "revoke", first);

        assertThat(Etcdctl.run(ep, "get", "move/", "--prefix", "--keys-only").stdout()).isEqualTo("move/a\n\nmove/b\n\n");
        assertThat(Etcdctl.run(ep, "lease", "timetolive", second, "--keys").stdout()).contains("attached keys([move/a])");
    }

    @Test
    void anExpiredLeaseTakesItsKeysWithIt() throws Exception {
        String id = grant(1);
        Etcdctl.run(ep, "put", "short/a", "1", "--lease=" + id);
        String left = "x";
        for (int i = 0; i < EXPIRY_POLLS && !left.isEmpty(); i++) {
            left = Etcdctl.run(ep, "get", "short/a", "--print-value-only").stdout();
        }
        assertThat(left).as("the key is gone once its lease expired").isEmpty();
        assertThat(Etcdctl.run(ep, "lease", "keep-alive", "--once", id).stderr()).contains("etcdserver: requested lease not found");
    }

    @Test
    void aTxnPutWithAnUnknownLeaseChangesNothing() throws Exception {
        Etcdctl.Result r = Etcdctl.runWithInput(ep, "\nput txn/a 1\nput txn/b 2 --lease=7b\n\n\n", "txn");
        assertThat(r.stderr()).contains("etcdserver: requested lease not found");
        assertThat(Etcdctl.run(ep, "get", "txn/a").stdout()).isEmpty();
    }
}
