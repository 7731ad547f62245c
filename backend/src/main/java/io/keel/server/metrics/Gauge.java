package io.keel.server.metrics;

import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * A gauge without labels whose value is read at scrape time from a supplier (the member's own
 * state), so the hot path pays nothing. The supplier must be thread-safe and cheap. Thread-safe.
 * The type is given because etcd exports a few monotonic values (commit and apply indexes) as
 * gauges, and {@link MetricType#COUNTER} is allowed for values owned elsewhere.
 */
public final class Gauge extends MetricFamily {
    private final DoubleSupplier value;

    public Gauge(String name, String help, DoubleSupplier value) {
        this(name, MetricType.GAUGE, help, value);
    }

    public Gauge(String name, MetricType type, String help, DoubleSupplier value) {
        super(name, type, help, List.of());
        this.value = value;
    }

    @Override
    protected void writeSamples(StringBuilder out) {
        out.append(name()).append(' ');
        Exposition.value(out, value.getAsDouble());
        out.append('\n');
    }
}
