package io.keel.dashboards;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the tests find their inputs: this module's files, and the reference material captured from
 * a real etcd 3.4.23 ({@code src/test/resources/etcd-reference/}, or {@code -Dkeel.reference.dir}). Also reads expressions out of Grafana JSON and
 * Prometheus rule files. Stateless; thread-safe.
 */
final class ReferenceFiles {
    private static final Pattern METRIC = Pattern.compile("\\b((?:etcd|grpc|process|go|jvm)_[a-zA-Z0-9_]+)");

    private ReferenceFiles() {
    }

    static Path module() {
        return Path.of(System.getProperty("keel.dashboards.dir", ".")).toAbsolutePath().normalize();
    }

    static Path referenceDir() {
        String given = System.getProperty("keel.reference.dir");
        if (given != null) {
            return Path.of(given);
        }
        Path inRepo = module().resolve("src/test/resources/etcd-reference");
        if (Files.isRegularFile(inRepo.resolve("etcd-metrics-3.4.txt"))) {
            return inRepo;
        }
        throw new IllegalStateException("etcd reference material not found in " + inRepo
                + "; pass -Dkeel.reference.dir=...");
    }

    /** A family as etcd declares it: type and label names. */
    record Family(String name, String type, Set<String> labels) {
    }

    /** Every family of the reference list, live-captured ones and the declared-only ones (peer metrics). */
    static Map<String, Family> etcdFamilies() throws IOException {
        Map<String, Family> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(referenceDir().resolve("etcd-metrics-3.4.txt"))) {
            String[] f = line.split("\t");
            if (line.startsWith("#") || f.length < 3 || !f[2].startsWith("[")) {
                continue;
            }
            String type = switch (f[1]) {
                case "CounterVec", "Counter" -> "counter";
                case "GaugeVec", "Gauge" -> "gauge";
                case "HistogramVec", "Histogram" -> "histogram";
                default -> f[1];
            };
            String name = f[0].startsWith("+ ") ? f[0].substring(2) : f[0];
            out.putIfAbsent(name, new Family(name, type, labels(f[2])));
        }
        return out;
    }

    private static Set<String> labels(String bracketed) {
        String inner = bracketed.substring(1, bracketed.length() - 1).trim();
        Set<String> s = new LinkedHashSet<>();
        if (!inner.isEmpty()) {
            for (String l : inner.split(",")) {
                s.add(l.trim());
            }
        }
        return s;
    }

    /** Every {@code expr} of a Grafana dashboard, panels nested in rows included. */
    static List<String> dashboardExpressions(Path json) throws IOException {
        List<String> out = new ArrayList<>();
        collect(new JsonObject(Files.readString(json)).getJsonArray("panels"), out);
        return out;
    }

    private static void collect(JsonArray panels, List<String> out) {
        if (panels == null) {
            return;
        }
        for (int i = 0; i < panels.size(); i++) {
            JsonObject p = panels.getJsonObject(i);
            JsonArray targets = p.getJsonArray("targets");
            if (targets != null) {
                for (int t = 0; t < targets.size(); t++) {
                    String e = targets.getJsonObject(t).getString("expr");
                    if (e != null && !e.isBlank()) {
                        out.add(e);
                    }
                }
            }
            collect(p.getJsonArray("panels"), out);
        }
    }

    /** Grafana's variables replaced by what a test Prometheus understands. */
    static String substitute(String expr, String job) {
        return expr.replace("$__rate_interval", "1m").replace("$__interval", "15s")
                .replace("$cluster", job).replace("$job", job);
    }

    /** The {@code expr} blocks of a rule file (block scalars and one-liners). */
    static List<String> ruleExpressions(Path yaml) throws IOException {
        List<String> lines = Files.readAllLines(yaml);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            int at = l.indexOf("expr:");
            if (at < 0 || l.trim().startsWith("#")) {
                continue;
            }
            String rest = l.substring(at + 5).trim();
            if (!rest.equals("|") && !rest.equals(">")) {
                out.add(rest);
                continue;
            }
            StringBuilder b = new StringBuilder();
            int indent = -1;
            for (i = i + 1; i < lines.size(); i++) {
                String next = lines.get(i);
                int ind = next.length() - next.stripLeading().length();
                if (!next.isBlank() && indent < 0) {
                    indent = ind;
                }
                if (!next.isBlank() && ind < indent) {
                    i--;
                    break;
                }
                b.append(next.strip()).append('\n');
            }
            out.add(b.toString().trim());
        }
        return out;
    }

    /** Metric family names an expression uses (label names of known families skipped) ({@code _bucket}/{@code _sum}/{@code _count} stripped for histograms). */
    static Set<String> metricNames(String expr, Map<String, Family> known) {
        Set<String> labelNames = new java.util.HashSet<>();
        known.values().forEach(f -> labelNames.addAll(f.labels()));
        Set<String> out = new LinkedHashSet<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            String n = m.group(1);
            if (labelNames.contains(n)) {
                continue; // a label (grpc_code in a matcher or a by/without list), not a metric
            }
            for (String suffix : List.of("_bucket", "_sum", "_count")) {
                String base = n.endsWith(suffix) ? n.substring(0, n.length() - suffix.length()) : null;
                if (base != null && known.containsKey(base) && "histogram".equals(known.get(base).type())) {
                    n = base;
                }
            }
            out.add(n);
        }
        return out;
    }
}
