package io.keel.bench.report;

import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link Summary} for people (a summary, a histogram like etcd's benchmark prints, the
 * latency distribution) and for scripts (one JSON object on one line). Stateless.
 */
public final class TextReport {
    private static final int BUCKETS = 10;
    private static final int BAR_WIDTH = 40;

    private TextReport() {
    }

    public static String text(Summary s) {
        StringBuilder b = new StringBuilder();
        b.append(s.name()).append(" summary:\n");
        line(b, "Total", "%.4f secs.", s.seconds());
        line(b, "Slowest", "%.4f ms.", s.max());
        line(b, "Fastest", "%.4f ms.", s.min());
        line(b, "Average", "%.4f ms.", s.avg());
        line(b, "Stddev", "%.4f ms.", s.stddev());
        line(b, "Requests/sec", "%.4f", s.perSecond());
        b.append('\n').append("Response time histogram (ms):\n").append(histogram(s.samplesMs()));
        b.append('\n').append("Latency distribution:\n");
        for (double p : new double[] {50, 90, 99, 99.9}) {
            b.append(String.format(Locale.ROOT, "  %s%% in %.4f ms.%n", trim(p), s.percentile(p)));
        }
        if (s.errors() > 0) {
            b.append('\n').append("Error distribution:\n");
            for (Map.Entry<String, Long> e : s.errorsByMessage().entrySet()) {
                b.append(String.format(Locale.ROOT, "  [%d]\t%s%n", e.getValue(), e.getKey()));
            }
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String label, String fmt, double v) {
        b.append(String.format(Locale.ROOT, "  %-14s" + fmt + "%n", label + ":", v));
    }

    private static String trim(double p) {
        return p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
    }

    /** Ten equal-width buckets from the fastest to the slowest sample, as etcd's report draws. */
    static String histogram(double[] sortedMs) {
        if (sortedMs.length == 0) {
            return "  (no samples)\n";
        }
        double min = sortedMs[0];
        double max = sortedMs[sortedMs.length - 1];
        double width = (max - min) / BUCKETS;
        long[] counts = new long[BUCKETS + 1];
        double[] marks = new double[BUCKETS + 1];
        for (int i = 0; i <= BUCKETS; i++) {
            marks[i] = min + width * i;
        }
        int bucket = 0;
        for (double v : sortedMs) {
            while (bucket < BUCKETS && v > marks[bucket]) {
                bucket++;
            }
            counts[bucket]++;
        }
        long most = 0;
        for (long c : counts) {
            most = Math.max(most, c);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i <= BUCKETS; i++) {
            int bar = most == 0 ? 0 : (int) (counts[i] * BAR_WIDTH / most);
            b.append(String.format(Locale.ROOT, "  %10.4f [%d]\t|%s%n", marks[i], counts[i], "∎".repeat(bar)));
        }
        return b.toString();
    }

    /** One line of JSON: the summary's numbers plus {@code extra} (already JSON-encoded values). */
    public static String json(Summary s, Map<String, String> extra) {
        StringBuilder b = new StringBuilder("{");
        field(b, "bench", quote(s.name()));
        for (Map.Entry<String, String> e : extra.entrySet()) {
            field(b, e.getKey(), e.getValue());
        }
        field(b, "ok", String.valueOf(s.ok()));
        field(b, "errors", String.valueOf(s.errors()));
        field(b, "seconds", num(s.seconds()));
        field(b, "per_second", num(s.perSecond()));
        StringBuilder lat = new StringBuilder("{");
        field(lat, "min", num(s.min()));
        field(lat, "avg", num(s.avg()));
        field(lat, "p50", num(s.percentile(50)));
        field(lat, "p90", num(s.percentile(90)));
        field(lat, "p99", num(s.percentile(99)));
        field(lat, "p999", num(s.percentile(99.9)));
        field(lat, "max", num(s.max()));
        field(b, "latency_ms", lat.append('}').toString());
        return b.append('}').toString();
    }

    private static void field(StringBuilder b, String key, String jsonValue) {
        if (b.length() > 1) {
            b.append(',');
        }
        b.append(quote(key)).append(':').append(jsonValue);
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    public static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
