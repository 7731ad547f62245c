package io.keel.server.metrics;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** A counter with labels; each series is a {@link LongAdder}. Thread-safe. */
public final class LabeledCounter extends LabeledFamily<LongAdder> {
    public LabeledCounter(String name, String help, String... labelNames) {
        super(name, MetricType.COUNTER, help, List.of(labelNames), LongAdder::new);
    }

    @Override
    protected void writeSeries(StringBuilder out, List<String> labelValues, LongAdder cells) {
        Exposition.sampleName(out, name(), labelNames(), labelValues, null, null);
        out.append(' ');
        Exposition.value(out, cells.sum());
        out.append('\n');
    }
}
