package io.keel.backend.metrics;

import io.keel.server.metrics.EtcdMetrics;
import io.keel.server.metrics.Exposition;
import io.keel.server.metrics.MemberGauges;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * One member's metrics: the etcd families with etcd's exact names ({@link EtcdMetrics}, written by
 * our own exposition code) and Micrometer's JVM meters ({@code jvm_*}, {@code system_*},
 * {@code process_cpu_usage}) in one Prometheus text output. Micrometer is kept away from etcd's
 * names because it renames them (strips {@code _total} from gauges, adds it to counters, adds
 * {@code _max}). Its uptime and file-descriptor binders are not bound: their
 * {@code process_start_time_seconds} and file counts are written etcd's way by
 * {@link io.keel.server.metrics.ProcessFamilies}.
 *
 * <p>Created by the member's wiring (or standalone for a bare server); thread-safe. {@link #scrape}
 * reads /proc and the store's sizes, so it runs on a worker thread, never an event loop.
 */
public final class MemberMetrics implements AutoCloseable {
    private final EtcdMetrics etcd;
    private final PeerTrafficMetrics peers;
    private final PrometheusMeterRegistry jvm;
    private final JvmGcMetrics gc;
    private final JvmHeapPressureMetrics heapPressure;

    public MemberMetrics(MemberGauges member) {
        this.etcd = new EtcdMetrics(member);
        this.peers = new PeerTrafficMetrics(etcd.registry(), etcd.server().heartbeatSendFailures);
        this.jvm = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(jvm);
        new JvmThreadMetrics().bindTo(jvm);
        new ClassLoaderMetrics().bindTo(jvm);
        new ProcessorMetrics().bindTo(jvm);
        this.gc = new JvmGcMetrics();
        gc.bindTo(jvm);
        this.heapPressure = new JvmHeapPressureMetrics();
        heapPressure.bindTo(jvm);
    }

    /** A server without a member (tests, the bare shell): gRPC, process and JVM metrics only. */
    public static MemberMetrics standalone() {
        return new MemberMetrics(MemberGauges.NONE);
    }

    public EtcdMetrics etcd() {
        return etcd;
    }

    public PeerTrafficMetrics peers() {
        return peers;
    }

    /** The whole exposition: etcd's families first, then Micrometer's. Worker thread. */
    public String scrape() {
        StringBuilder out = new StringBuilder(64 * 1024);
        etcd.registry().write(out);
        out.append(jvm.scrape(Exposition.CONTENT_TYPE));
        return out.toString();
    }

    @Override
    public void close() {
        gc.close();
        heapPressure.close();
        jvm.close();
    }
}
