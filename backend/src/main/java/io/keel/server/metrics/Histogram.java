package io.keel.server.metrics;

import java.util.List;

/** A histogram without labels, with fixed bucket bounds (etcd's). Thread-safe. */
public final class Histogram extends MetricFamily {
    private final HistogramCells cells;

    public Histogram(String name, String help, double[] bounds) {
        super(name, MetricType.HISTOGRAM, help, List.of());
        this.cells = new HistogramCells(bounds.clone());
    }

    public void observe(double value) {
        cells.observe(value);
    }

    public void observeNanos(long nanos) {
        cells.observeNanos(nanos);
    }

    public long count() {
        return cells.count();
    }

    @Override
    protected void writeSamples(StringBuilder out) {
        cells.write(out, name(), labelNames(), List.of());
    }

    /** Go's {@code prometheus.ExponentialBuckets(start, factor, count)}. */
    public static double[] exponential(double start, double factor, int count) {
        double[] b = new double[count];
        double v = start;
        for (int i = 0; i < count; i++) {
            b[i] = v;
            v *= factor;
        }
        return b;
    }
}
