package io.keel.server.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpositionFormatTest {
    @Test
    void familiesKeepEtcdNamesExactlyWhateverTheirType() {
        MetricRegistry r = new MetricRegistry();
        r.register(new Gauge("etcd_server_proposals_applied_total", "applied", () -> 42));
        Counter c = r.register(new Counter("etcd_server_health_failures", "failures"));
        c.inc();
        StringBuilder out = new StringBuilder();
        r.write(out);
        assertThat(out.toString()).isEqualTo("""
                # HELP etcd_server_proposals_applied_total applied
                # TYPE etcd_server_proposals_applied_total gauge
                etcd_server_proposals_applied_total 42
                # HELP etcd_server_health_failures failures
                # TYPE etcd_server_health_failures counter
                etcd_server_health_failures 1
                """);
    }

    @Test
    void histogramBucketsAreCumulativeWithEtcdBounds() {
        Histogram h = new Histogram("etcd_disk_wal_fsync_duration_seconds", "fsync",
                Histogram.exponential(0.001, 2, 3));
        h.observe(0.0005);
        h.observe(0.003);
        h.observe(5);
        StringBuilder out = new StringBuilder();
        h.write(out);
        assertThat(out.toString()).contains(
                "etcd_disk_wal_fsync_duration_seconds_bucket{le=\"0.001\"} 1\n",
                "etcd_disk_wal_fsync_duration_seconds_bucket{le=\"0.002\"} 1\n",
                "etcd_disk_wal_fsync_duration_seconds_bucket{le=\"0.004\"} 2\n",
                "etcd_disk_wal_fsync_duration_seconds_bucket{le=\"+Inf\"} 3\n",
                "etcd_disk_wal_fsync_duration_seconds_sum 5.0035\n",
                "etcd_disk_wal_fsync_duration_seconds_count 3\n");
    }

    @Test
    void labelValuesAreEscapedAndSeriesSorted() {
        LabeledCounter c = new LabeledCounter("x_total", "help \\ with\nnewline", "To");
        c.labels("b\"q").increment();
        c.labels("a");
        StringBuilder out = new StringBuilder();
        c.write(out);
        assertThat(out.toString()).isEqualTo("""
                # HELP x_total help \\\\ with\\nnewline
                # TYPE x_total counter
                x_total{To="a"} 0
                x_total{To="b\\"q"} 1
                """);
    }

    @Test
    void everyEtcdGrpcMethodHasASeriesPerCodeFromTheStart() {
        EtcdMetrics m = new EtcdMetrics(MemberGauges.NONE);
        StringBuilder out = new StringBuilder();
        m.registry().write(out);
        String text = out.toString();
        assertThat(text).contains("grpc_server_handled_total{grpc_code=\"DeadlineExceeded\",grpc_method=\"Put\","
                + "grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\"} 0\n");
        assertThat(text).contains("grpc_server_started_total{grpc_method=\"Watch\",grpc_service=\"etcdserverpb.Watch\","
                + "grpc_type=\"bidi_stream\"} 0\n");
        long handledSeries = text.lines().filter(l -> l.startsWith("grpc_server_handled_total{")).count();
        assertThat(handledSeries).isEqualTo((long) GrpcMethodTable.ETCD.size() * GrpcMethodTable.CODES.size());
        assertThat(text).doesNotContain("v3lockpb");
    }

    @Test
    void aNameRegisteredTwiceIsRefused() {
        MetricRegistry r = new MetricRegistry();
        r.register(new Counter("a_total", "a"));
        assertThatThrownBy(() -> r.register(new Counter("a_total", "again")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
