package io.keel.backend.e2e;

import io.keel.storage.mvcc.KeyValue;
import io.keel.storage.mvcc.backend.KeyValueCodec;
import io.keel.storage.mvcc.backend.LmdbBackend;
import io.keel.storage.mvcc.backend.RevisionKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Txn;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * etcd's corruption checks on a real 3-member cluster: one follower's store is made to diverge
 * while it is stopped (a value rewritten in place in its LMDB file, the revision unchanged). With
 * {@code --experimental-initial-corrupt-check} it refuses to start; without it, the leader's
 * periodic check raises the CORRUPT alarm and writes fail with etcd's error.
 */
class CorruptionCheckTest {
    private static final Pattern MEMBER_ID = Pattern.compile("\"member_id\":(\\d+)");
    private static final Pattern LEADER = Pattern.compile("\"leader\":(\\d+)");
    private static final int POLL_ATTEMPTS = 120;

    @TempDir
    Path dir;
    private final List<KeelProcess> members = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (KeelProcess m : members) {
            m.close();
        }
    }

    @Test
    void aDivergedFollowerFailsTheInitialCheckAndTheLeaderRaisesCorrupt() throws Exception {
        Etcdctl.requireInstalled();
        for (String name : List.of("c1", "c2", "c3")) {
            members.add(new KeelProcess(name, dir.resolve(name), FreePorts.next(), FreePorts.next()));
        }
        String initial = Members.initialCluster(members);
        for (KeelProcess m : members) {
            m.start(initial, "new", "--experimental-corrupt-check-time=1s");
        }
        String all = Members.endpoints(members);
        Members.awaitWritable(all);
        long rev = Members.revisionOf(Etcdctl.run(all, "put", "corrupt/k", "good", "-w", "json"));
        for (KeelProcess m : members) {
            awaitRevision(m, rev);
        }
        assertThat(Etcdctl.run(all, "alarm", "list").stdout()).isEmpty();

        KeelProcess victim = aFollower();
        awaitAllStartedAsSeenBy(victim); // it knows every peer's client URLs before it stops
        victim.stop();
        rewriteLatestValue(victim.dataDir.resolve("member").resolve("snap").resolve("db"), "corrupt/k", "evil");

        assertInitialCheckRefusesToStart(victim, initial);

        victim.start(initial, "new", "--experimental-corrupt-check-time=1s");
        String alarms = "";
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!alarms.contains("CORRUPT") && System.nanoTime() < deadline) {
            alarms = Etcdctl.run(all, "alarm", "list").stdout();
        }
        // etcd raises it for member 0, which etcdctl prints without the member (a zero field).
        assertThat(alarms).isEqualTo("alarm:CORRUPT \n");
        Etcdctl.Result put = Etcdctl.run(all, "put", "corrupt/after", "x");
        assertThat(put.ok()).isFalse();
        assertThat(put.stderr()).contains("etcdserver: corrupt cluster");
    }

    /**
     * The diverged member must refuse to start whenever a peer answered its hash request. As in
     * etcd, peers that do not answer within the request timeout are skipped, which on a loaded
     * machine can let a start through: that is allowed only if the member logged that no peer
     * answered, and the start is tried again.
     */
    private static void assertInitialCheckRefusesToStart(KeelProcess victim, String initial) throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            int before = victim.output().length();
            try {
                // A longer election timeout gives the check etcd's request timeout of 5 s + 2 x 5 s
                // per peer round, so a loaded machine still gets the peers' answers in time.
                victim.start(initial, "new", "--experimental-initial-corrupt-check", "--election-timeout", "5000");
            } catch (IllegalStateException e) {
                assertThat(e).hasMessageContaining("found data inconsistency with peers");
                return;
            }
            String out = victim.output().substring(before);
            victim.stop();
            assertThat(out).as("a diverged member started although peers answered:\n" + out)
                    .contains("initial corruption checking passed").contains("\"number-of-peers-checked\":0");
        }
        throw new AssertionError("no peer answered the initial check in 5 attempts:\n" + victim.output());
    }

    private KeelProcess aFollower() throws Exception {
        for (KeelProcess m : members) {
            String json = Etcdctl.run(m.clientUrl(), "endpoint", "status", "-w", "json").stdout();
            Matcher id = MEMBER_ID.matcher(json);
            Matcher leader = LEADER.matcher(json);
            if (id.find() && leader.find() && !id.group(1).equals(leader.group(1))) {
                return m;
            }
        }
        throw new AssertionError("no follower found");
    }

    private static void awaitAllStartedAsSeenBy(KeelProcess m) throws Exception {
        String list = "";
        for (int i = 0; i < POLL_ATTEMPTS; i++) {
            list = Etcdctl.run(m.clientUrl(), "member", "list").stdout();
            if (list.lines().filter(l -> l.contains(", started, ") && l.contains("http://")).count() == 3
                    && !list.contains(", , false")) {
                return;
            }
        }
        throw new AssertionError("not every member is started as seen by " + m.name + ":\n" + list);
    }

    private static void awaitRevision(KeelProcess m, long rev) throws Exception {
        for (int i = 0; i < POLL_ATTEMPTS; i++) {
            Etcdctl.Result r = Etcdctl.run(m.clientUrl(), "get", "corrupt/k", "--consistency=s", "-w", "json");
            if (r.ok() && r.stdout().contains("\"mod_revision\":" + rev)) {
                return;
            }
        }
        throw new AssertionError(m.name + " never applied revision " + rev);
    }

    /** Test-only divergence: the newest stored value of {@code key} replaced in place, revision unchanged. */
    private static void rewriteLatestValue(Path db, String key, String value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        try (LmdbBackend backend = LmdbBackend.open(db, 4L << 30, true, 512,
                List.of("members", "members_removed", "alarm"))) {
            try (Txn<byte[]> txn = backend.writeTxn()) {
                byte[] revKey = null;
                KeyValue latest = null;
                try (CursorIterable<byte[]> it = backend.revisionsFrom(txn, RevisionKeys.lowerBound(0))) {
                    for (CursorIterable.KeyVal<byte[]> kv : it) {
                        KeyValue stored = KeyValueCodec.decode(kv.val());
                        if (Arrays.equals(stored.key(), k)) {
                            revKey = kv.key().clone();
                            latest = stored;
                        }
                    }
                }
                assertThat(latest).as("stored revision of " + key).isNotNull();
                KeyValue evil = new KeyValue(latest.key(), latest.createRevision(), latest.modRevision(),
                        latest.version(), value.getBytes(StandardCharsets.UTF_8), latest.lease());
                backend.putRevision(txn, revKey, KeyValueCodec.encode(evil));
                txn.commit();
            }
        }
    }
}
