package io.keel.dashboards;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A Prometheus text-format (0.0.4) exposition parsed into families: type from {@code # TYPE},
 * label names from the samples ({@code le} and {@code quantile} left out, as they belong to the
 * type). Enough for comparing families, not a full parser. Immutable after parsing.
 */
final class MetricsText {
    record Family(String name, String type, Set<String> labels, Set<String> sampleNames) {
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    static MetricsText parse(String text) {
        MetricsText t = new MetricsText();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] f = line.split(" ");
                if (t.families.containsKey(f[2])) {
                    throw new IllegalStateException("family written twice: " + f[2]);
                }
                t.families.put(f[2], new Family(f[2], f[3], new LinkedHashSet<>(), new LinkedHashSet<>()));
            } else if (!line.startsWith("#") && !line.isBlank()) {
                t.sample(line);
            }
        }
        return t;
    }

    private void sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
        Family f = families.get(name);
        for (String suffix : new String[] {"_bucket", "_sum", "_count", "_max"}) {
            if (f == null && name.endsWith(suffix)) {
                f = families.get(name.substring(0, name.length() - suffix.length()));
            }
        }
        if (f == null) {
            throw new IllegalStateException("sample without a family: " + line);
        }
        f.sampleNames().add(name);
        if (brace >= 0 && brace < space) {
            String labels = line.substring(brace + 1, line.lastIndexOf('}'));
            for (String pair : labels.split(",(?=[a-zA-Z_]+=\")")) {
                String label = pair.substring(0, pair.indexOf('='));
                if (!label.equals("le") && !label.equals("quantile")) {
                    f.labels().add(label);
                }
            }
        }
    }

    Map<String, Family> families() {
        return families;
    }
}
