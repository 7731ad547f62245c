package io.keel.dashboards;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every dashboard expression is valid PromQL, checked by promtool as a recording rule. */
class DashboardQueriesParseTest {
    @TempDir
    Path dir;

    @Test
    void everyKeelDashboardQueryParses() throws Exception {
        List<String> exprs = ReferenceFiles.dashboardExpressions(
                ReferenceFiles.module().resolve("grafana").resolve("keel-dashboard.json"));
        assertThat(exprs).hasSizeGreaterThan(40);
        assertParses(exprs);
    }

    @Test
    void everyEtcdReferenceDashboardQueryParses() throws Exception {
        assertParses(ReferenceFiles.dashboardExpressions(
                ReferenceFiles.referenceDir().resolve("etcd-grafana-dashboard.json")));
    }

    @Test
    void keelDashboardCoversTheOperatorsTopics() throws Exception {
        String all = String.join("\n", ReferenceFiles.dashboardExpressions(
                ReferenceFiles.module().resolve("grafana").resolve("keel-dashboard.json")));
        assertThat(all).contains("etcd_server_has_leader", "etcd_server_leader_changes_seen_total",
                "etcd_server_proposals_committed_total", "etcd_disk_wal_fsync_duration_seconds_bucket",
                "etcd_disk_backend_commit_duration_seconds_bucket", "etcd_server_quota_backend_bytes",
                "grpc_server_handled_total", "etcd_network_peer_sent_bytes_total",
                "etcd_network_peer_round_trip_time_seconds_bucket", "etcd_debugging_mvcc_watcher_total",
                "etcd_debugging_lease_granted_total", "jvm_memory_used_bytes", "jvm_gc_pause_seconds");
    }

    private void assertParses(List<String> exprs) throws Exception {
        List<String> substituted = exprs.stream().map(e -> ReferenceFiles.substitute(e, "keel")).toList();
        Files.writeString(dir.resolve("queries.yaml"), Promtool.recordingRules(substituted));
        Promtool.Result r = Promtool.run(dir, "check", "rules", "queries.yaml");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains(exprs.size() + " rules found");
    }
}
