package io.keel.server.metrics;

import java.math.BigDecimal;
import java.util.List;

/** Prometheus text-format helpers: escaping, label sets, numbers. Stateless; thread-safe. */
public final class Exposition {
    /** The content type of the text format, as Prometheus' Go client sends it. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private Exposition() {
    }

    static void escapeHelp(String help, StringBuilder out) {
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    static void escapeLabelValue(String value, StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append("\\\"");
                default -> out.append(c);
            }
        }
    }

    /** {@code name{l1="v1",...}} without the value; {@code extraName}/{@code extraValue} may be null. */
    static void sampleName(StringBuilder out, String name, List<String> labelNames, List<String> labelValues,
                           String extraName, String extraValue) {
        out.append(name);
        if (labelNames.isEmpty() && extraName == null) {
            return;
        }
        out.append('{');
        for (int i = 0; i < labelNames.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(labelNames.get(i)).append("=\"");
            escapeLabelValue(labelValues.get(i), out);
            out.append('"');
        }
        if (extraName != null) {
            if (!labelNames.isEmpty()) {
                out.append(',');
            }
            out.append(extraName).append("=\"").append(extraValue).append('"');
        }
        out.append('}');
    }

    /** A value as Go's client writes it: integers without a fraction, +Inf/-Inf/NaN spelled out. */
    static void value(StringBuilder out, double v) {
        if (Double.isNaN(v)) {
            out.append("NaN");
        } else if (Double.isInfinite(v)) {
            out.append(v > 0 ? "+Inf" : "-Inf");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            out.append((long) v);
        } else {
            out.append(v);
        }
    }

    /** A bucket bound for the {@code le} label: shortest plain decimal ({@code 0.001}, {@code 8.192}). */
    static String bound(double le) {
        if (Double.isInfinite(le)) {
            return "+Inf";
        }
        return new BigDecimal(Double.toString(le)).stripTrailingZeros().toPlainString();
    }
}
