package io.keel.server.metrics;

import java.util.List;

/** A histogram with labels and fixed bucket bounds. Thread-safe. */
public final class LabeledHistogram extends LabeledFamily<HistogramCells> {
    public LabeledHistogram(String name, String help, double[] bounds, String... labelNames) {
        super(name, MetricType.HISTOGRAM, help, List.of(labelNames), () -> new HistogramCells(bounds.clone()));
    }

    @Override
    protected void writeSeries(StringBuilder out, List<String> labelValues, HistogramCells cells) {
        cells.write(out, name(), labelNames(), labelValues);
    }
}
