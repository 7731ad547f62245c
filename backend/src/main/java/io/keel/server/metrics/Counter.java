package io.keel.server.metrics;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A counter without labels: {@link #inc()} and {@link #add(long)} are lock-free and allocation-free.
 * Thread-safe.
 */
public final class Counter extends MetricFamily {
    private final LongAdder value = new LongAdder();

    public Counter(String name, String help) {
        super(name, MetricType.COUNTER, help, List.of());
    }

    public void inc() {
        value.increment();
    }

    public void add(long n) {
        value.add(n);
    }

    public long get() {
        return value.sum();
    }

    @Override
    protected void writeSamples(StringBuilder out) {
        out.append(name()).append(' ');
        Exposition.value(out, value.sum());
        out.append('\n');
    }
}
