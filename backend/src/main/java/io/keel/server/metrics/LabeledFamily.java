package io.keel.server.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A family with labels whose series are created on first use (or up front, to start at 0 as
 * etcd's gRPC series do). Callers on hot paths look their series up once and keep it, so
 * recording never allocates. Series are written sorted by label values. Thread-safe.
 *
 * @param <S> the series' cells ({@link java.util.concurrent.atomic.LongAdder} or {@link HistogramCells})
 */
public abstract class LabeledFamily<S> extends MetricFamily {
    private final Map<List<String>, S> series = new ConcurrentHashMap<>();
    private final Supplier<S> create;

    protected LabeledFamily(String name, MetricType type, String help, List<String> labelNames, Supplier<S> create) {
        super(name, type, help, labelNames);
        this.create = create;
    }

    /** The series for these label values, in {@link #labelNames()} order; created at 0 if new. */
    public S labels(String... values) {
        if (values.length != labelNames().size()) {
            throw new IllegalArgumentException(name() + " takes labels " + labelNames());
        }
        return series.computeIfAbsent(List.of(values), k -> create.get());
    }

    /** Forgets a series (a removed peer). */
    public void remove(String... values) {
        series.remove(List.of(values));
    }

    @Override
    protected void writeSamples(StringBuilder out) {
        List<Map.Entry<List<String>, S>> sorted = new ArrayList<>(series.entrySet());
        sorted.sort(Comparator.comparing(e -> String.join("\u0000", e.getKey())));
        for (Map.Entry<List<String>, S> e : sorted) {
            writeSeries(out, e.getKey(), e.getValue());
        }
    }

    protected abstract void writeSeries(StringBuilder out, List<String> labelValues, S cells);
}
