package io.keel.server.metrics;

import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cells of one histogram series: a count per bucket (not cumulative while recording, so one
 * observation touches one cell) and a sum. Recording is lock-free and allocation-free. A scrape
 * may see a bucket count and the sum a moment apart, as with Prometheus' own clients. Thread-safe.
 */
public final class HistogramCells {
    private final double[] bounds;
    private final LongAdder[] counts;
    private final DoubleAdder sum = new DoubleAdder();

    HistogramCells(double[] bounds) {
        this.bounds = bounds;
        this.counts = new LongAdder[bounds.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    public void observe(double value) {
        int i = 0;
        while (i < bounds.length && value > bounds[i]) {
            i++;
        }
        counts[i].increment();
        sum.add(value);
    }

    public void observeNanos(long nanos) {
        observe(nanos / 1e9);
    }

    public long count() {
        long n = 0;
        for (LongAdder c : counts) {
            n += c.sum();
        }
        return n;
    }

    void write(StringBuilder out, String name, List<String> labelNames, List<String> labelValues) {
        long cumulative = 0;
        for (int i = 0; i <= bounds.length; i++) {
            cumulative += counts[i].sum();
            String le = i < bounds.length ? Exposition.bound(bounds[i]) : "+Inf";
            Exposition.sampleName(out, name + "_bucket", labelNames, labelValues, "le", le);
            out.append(' ');
            Exposition.value(out, cumulative);
            out.append('\n');
        }
        Exposition.sampleName(out, name + "_sum", labelNames, labelValues, null, null);
        out.append(' ');
        Exposition.value(out, sum.sum());
        out.append('\n');
        Exposition.sampleName(out, name + "_count", labelNames, labelValues, null, null);
        out.append(' ');
        Exposition.value(out, cumulative);
        out.append('\n');
    }
}
