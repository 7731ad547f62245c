package io.keel.dashboards;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One real 3-member Keel cluster, checked against etcd: its /metrics families against the
 * reference list captured from etcd 3.4.23, and a real Prometheus scraping it against every
 * expression of our dashboard and of etcd's dashboard.
 */
class KeelClusterMetricsTest {
    private static final long DATA_DEADLINE_SECONDS = 300;

    @TempDir
    static Path dir;
    private static KeelCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = KeelCluster.start(dir);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Light load: writes, reads, a txn, a delete, a compaction, member and endpoint status. */
    private static void load(int round) throws Exception {
        String eps = cluster.endpoints();
        Etcdctl.run(eps, "put", "key-" + (round % 10), "value-" + round);
        Etcdctl.run(eps, "get", "key-" + (round % 10));
        Etcdctl.run(eps, "del", "key-" + ((round + 5) % 10));
        Etcdctl.run(eps, "endpoint", "status");
    }

    @Test
    void exportedFamiliesMatchEtcdsNamesTypesAndLabels() throws Exception {
        load(0);
        Map<String, ReferenceFiles.Family> etcd = ReferenceFiles.etcdFamilies();
        Map<String, MetricsText.Family> keel = new HashMap<>();
        for (KeelCluster.Member m : cluster.members()) {
            MetricsText client = MetricsText.parse(cluster.scrape(m.clientUrl()));
            MetricsText metricsPort = MetricsText.parse(cluster.scrape(m.metricsUrl()));
            assertThat(metricsPort.families().keySet()).as("--listen-metrics-urls serves the same families")
                    .isEqualTo(client.families().keySet());
            client.families().forEach((name, f) -> keel.merge(name, f, (a, b) -> {
                a.labels().addAll(b.labels());
                return a;
            }));
        }

        Set<String> required = new TreeSet<>();
        for (String e : ReferenceFiles.dashboardExpressions(ReferenceFiles.referenceDir()
                .resolve("etcd-grafana-dashboard.json"))) {
            required.addAll(ReferenceFiles.metricNames(e, etcd));
        }
        for (String e : ReferenceFiles.ruleExpressions(ReferenceFiles.referenceDir().resolve("etcd-alert-rules.yaml"))) {
            required.addAll(ReferenceFiles.metricNames(e, etcd));
        }
        assertThat(required).contains("etcd_server_has_leader", "grpc_server_handled_total",
                "etcd_network_peer_round_trip_time_seconds", "grpc_server_handling_seconds");

        List<String> problems = new ArrayList<>();
        for (String name : required) {
            ReferenceFiles.Family want = etcd.get(name);
            MetricsText.Family got = keel.get(name);
            if (want == null) {
                problems.add(name + ": used by etcd's dashboard or alerts but not in the reference list");
            } else if (got == null) {
                problems.add(name + ": missing");
            }
        }
        for (Map.Entry<String, MetricsText.Family> e : keel.entrySet()) {
            ReferenceFiles.Family want = etcd.get(e.getKey());
            if (want == null) {
                continue; // Keel's own (jvm_*, system_*): not etcd's to judge
            }
            MetricsText.Family got = e.getValue();
            if (!want.type().equals(got.type())) {
                problems.add(e.getKey() + ": type " + got.type() + ", etcd's is " + want.type());
            }
            if (!got.labels().isEmpty() && !new LinkedHashSet<>(want.labels()).equals(got.labels())) {
                problems.add(e.getKey() + ": labels " + got.labels() + ", etcd's are " + want.labels());
            }
            if (got.labels().isEmpty() && !want.labels().isEmpty() && !e.getKey().startsWith("etcd_server_learner")) {
                problems.add(e.getKey() + ": no series with etcd's labels " + want.labels());
            }
        }
        assertThat(problems).as("families that differ from etcd 3.4.23's").isEmpty();

        Set<String> core = Set.of("etcd_server_is_leader", "etcd_server_proposals_applied_total",
                "etcd_server_slow_apply_total", "etcd_server_heartbeat_send_failures_total", "etcd_server_id",
                "etcd_server_version", "etcd_mvcc_db_total_size_in_use_in_bytes",
                "grpc_server_msg_received_total", "grpc_server_msg_sent_total", "process_open_fds",
                "etcd_snap_fsync_duration_seconds");
        Set<String> missingCore = new TreeSet<>(core);
        missingCore.removeAll(keel.keySet());
        assertThat(missingCore).as("core etcd families").isEmpty();
    }

    @Test
    void prometheusGetsDataForEveryExpressionOfBothDashboards() throws Exception {
        List<String> exprs = new ArrayList<>();
        for (String e : ReferenceFiles.dashboardExpressions(ReferenceFiles.module().resolve("grafana")
                .resolve("keel-dashboard.json"))) {
            exprs.add(ReferenceFiles.substitute(e, PrometheusServer.JOB));
        }
        for (String e : ReferenceFiles.dashboardExpressions(ReferenceFiles.referenceDir()
                .resolve("etcd-grafana-dashboard.json"))) {
            exprs.add(ReferenceFiles.substitute(e, PrometheusServer.JOB));
        }
        List<String> targets = cluster.members().stream().map(m -> "127.0.0.1:" + m.metricsPort).toList();
        Path promDir = dir.resolve("prometheus");
        java.nio.file.Files.createDirectories(promDir);
        try (PrometheusServer prometheus = new PrometheusServer(promDir, targets)) {
            Set<String> empty = new LinkedHashSet<>(exprs);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DATA_DEADLINE_SECONDS);
            int round = 0;
            Map<String, String> why = new HashMap<>();
            while (!empty.isEmpty() && System.nanoTime() < deadline) {
                load(round++);
                for (String e : List.copyOf(empty)) {
                    PrometheusServer.Answer a = prometheus.query(e);
                    assertThat(a.samples()).as("query failed: " + e + ": " + a.detail()).isGreaterThanOrEqualTo(0);
                    if (a.samples() > 0) {
                        empty.remove(e);
                    } else {
                        why.put(e, a.detail());
                    }
                }
            }
            assertThat(empty).as("dashboard expressions without data after " + round + " load rounds").isEmpty();
        }
    }
}
