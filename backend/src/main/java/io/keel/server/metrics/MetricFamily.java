package io.keel.server.metrics;

import java.util.List;

/**
 * One metric family with a fixed name, type, help text and label names, written in Prometheus
 * text format (0.0.4). Names are written exactly as given: no suffix is added or stripped, which
 * is the point of not using Micrometer for etcd's families. Implementations are thread-safe.
 */
public abstract class MetricFamily {
    private final String name;
    private final MetricType type;
    private final String help;
    private final List<String> labelNames;

    protected MetricFamily(String name, MetricType type, String help, List<String> labelNames) {
        this.name = name;
        this.type = type;
        this.help = help;
        this.labelNames = List.copyOf(labelNames);
    }

    public String name() {
        return name;
    }

    public MetricType type() {
        return type;
    }

    public String help() {
        return help;
    }

    public List<String> labelNames() {
        return labelNames;
    }

    /** Writes the HELP and TYPE lines, then {@link #writeSamples}. */
    public final void write(StringBuilder out) {
        out.append("# HELP ").append(name).append(' ');
        Exposition.escapeHelp(help, out);
        out.append('\n').append("# TYPE ").append(name).append(' ').append(type.text()).append('\n');
        writeSamples(out);
    }

    protected abstract void writeSamples(StringBuilder out);
}
