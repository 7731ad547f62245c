package io.keel.backend.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Leases on a real single-member Keel, driven by real etcdctl. */
class LeaseEtcdctlTest {
    private static final Pattern GRANTED = Pattern.compile("lease ([0-9a-f]+) granted with TTL\\((\\d+)s\\)");
    private static final int EXPIRY_POLLS = 600;

    @TempDir
    static Path dir;
    private static TestCluster cluster;
    private static KeelProcess member;
    private static String ep;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(dir, "l", 1);
        member = cluster.members.get(0);
        ep = cluster.endpoints();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
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

    private static final String WATCH_SENT = MetricsScrape.grpc("grpc_server_msg_sent_total", "etcdserverpb.Watch", "Watch",
            "bidi_stream");
    private static final String WATCH_RECEIVED = MetricsScrape.grpc("grpc_server_msg_received_total",
            "etcdserverpb.Watch", "Watch", "bidi_stream");
    private static final String WATCH_STARTED = MetricsScrape.grpc("grpc_server_started_total", "etcdserverpb.Watch",
            "Watch", "bidi_stream");
    private static final String KEEPALIVE_SENT = MetricsScrape.grpc("grpc_server_msg_sent_total", "etcdserverpb.Lease",
            "LeaseKeepAlive", "bidi_stream");
    private static final String KEEPALIVE_RECEIVED = MetricsScrape.grpc("grpc_server_msg_received_total",
            "etcdserverpb.Lease", "LeaseKeepAlive", "bidi_stream");

    /** Polls /metrics until {@code series} reaches {@code atLeast}; returns the scrape that showed it. */
    private static MetricsScrape awaitMetric(String series, double atLeast) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            MetricsScrape m = MetricsScrape.of(ep);
            if (m.value(series) >= atLeast) {
                return m;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(series + " stayed at " + m.value(series) + ", wanted >= " + atLeast);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void watchAndLeaseMetricsCountWhatEtcdctlDidAndEveryStreamMessage() throws Exception {
        MetricsScrape before = MetricsScrape.of(ep);

        try (EtcdctlWatch watch = EtcdctlWatch.start(ep, "metrics/", "--prefix")) {
            awaitMetric("etcd_debugging_mvcc_watcher_total", before.value("etcd_debugging_mvcc_watcher_total") + 1);
            for (int i = 0; i < 3; i++) {
                Etcdctl.run(ep, "put", "metrics/k" + i, "v");
            }
            watch.awaitLines(9); // PUT, key, value per event
            MetricsScrape during = awaitMetric("etcd_debugging_mvcc_events_total",
                    before.value("etcd_debugging_mvcc_events_total") + 3);
            assertThat(during.value("etcd_debugging_mvcc_watch_stream_total"))
                    .isGreaterThanOrEqualTo(before.value("etcd_debugging_mvcc_watch_stream_total") + 1);
            assertThat(during.value("etcd_debugging_mvcc_pending_events_total")).isZero();
            // One stream: its create request in, created plus three event responses out.
            assertThat(during.value(WATCH_STARTED)).isEqualTo(before.value(WATCH_STARTED) + 1);
            assertThat(during.value(WATCH_RECEIVED)).isGreaterThanOrEqualTo(before.value(WATCH_RECEIVED) + 1);
            assertThat(during.value(WATCH_SENT)).isGreaterThanOrEqualTo(before.value(WATCH_SENT) + 4);
        }
        awaitMetricDown("etcd_debugging_mvcc_watcher_total", before.value("etcd_debugging_mvcc_watcher_total"));

        String id = grant(600);
        Etcdctl.run(ep, "lease", "keep-alive", "--once", id);
        Etcdctl.run(ep, "lease", "revoke", id);
        String shortLived = grant(1);
        MetricsScrape after = awaitMetric("etcd_debugging_server_lease_expired_total",
                before.value("etcd_debugging_server_lease_expired_total") + 1);
        assertThat(Etcdctl.run(ep, "lease", "timetolive", shortLived).stdout()).contains("already expired");

        assertThat(after.value("etcd_debugging_lease_granted_total"))
                .isGreaterThanOrEqualTo(before.value("etcd_debugging_lease_granted_total") + 2);
        assertThat(after.value("etcd_debugging_lease_ttl_total_count"))
                .isGreaterThanOrEqualTo(before.value("etcd_debugging_lease_ttl_total_count") + 2);
        assertThat(after.value("etcd_debugging_lease_ttl_total_bucket{le=\"1024\"}"))
                .isGreaterThanOrEqualTo(before.value("etcd_debugging_lease_ttl_total_bucket{le=\"1024\"}") + 1);
        assertThat(after.value("etcd_debugging_lease_renewed_total"))
                .isGreaterThanOrEqualTo(before.value("etcd_debugging_lease_renewed_total") + 1);
        // The client's revoke and the expiry's revoke.
        assertThat(after.value("etcd_debugging_lease_revoked_total"))
                .isGreaterThanOrEqualTo(before.value("etcd_debugging_lease_revoked_total") + 2);
        assertThat(after.value(KEEPALIVE_RECEIVED)).isGreaterThanOrEqualTo(before.value(KEEPALIVE_RECEIVED) + 1);
        assertThat(after.value(KEEPALIVE_SENT)).isGreaterThanOrEqualTo(before.value(KEEPALIVE_SENT) + 1);
    }

    private static void awaitMetricDown(String series, double atMost) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (MetricsScrape.of(ep).value(series) > atMost) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(series + " stayed above " + atMost);
            }
            Thread.sleep(50);
        }
    }
}
