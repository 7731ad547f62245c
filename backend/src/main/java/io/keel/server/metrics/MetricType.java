package io.keel.server.metrics;

/** Prometheus text-format metric types, as written on the {@code # TYPE} line. Immutable. */
public enum MetricType {
    COUNTER("counter"), GAUGE("gauge"), HISTOGRAM("histogram");

    private final String text;

    MetricType(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
