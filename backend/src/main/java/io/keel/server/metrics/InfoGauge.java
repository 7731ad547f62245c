package io.keel.server.metrics;

import java.util.List;
import java.util.function.Supplier;

/**
 * etcd's "which X" gauges: one series at 1 whose single label carries the value
 * ({@code etcd_server_version{server_version="3.5.0"} 1}). The label value is read at scrape time.
 * Thread-safe if the supplier is.
 */
public final class InfoGauge extends MetricFamily {
    private final Supplier<String> labelValue;

    public InfoGauge(String name, String help, String labelName, Supplier<String> labelValue) {
        super(name, MetricType.GAUGE, help, List.of(labelName));
        this.labelValue = labelValue;
    }

    @Override
    protected void writeSamples(StringBuilder out) {
        Exposition.sampleName(out, name(), labelNames(), List.of(labelValue.get()), null, null);
        out.append(" 1\n");
    }
}
