package io.keel.backend.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lease and watch half of the differential test: one etcdctl scenario run against one server
 * (etcd or Keel), each step's exit code and output rendered after normalisation. What legitimately
 * differs between two servers is replaced: lease ids (server-chosen; each becomes {@code <lease-N>}
 * in the order granted, in hex and decimal), the seconds remaining on a live lease (the clock runs
 * between steps; the granted TTL stays), and the order of a lease's attached keys (etcd keeps them
 * in a map). Arguments may name a lease granted earlier as {@code {lease-N}} and the revision of
 * the first write as {@code {rev}}. Test thread only.
 */
final class LeaseWatchScenario {
    private static final Pattern GRANTED = Pattern.compile("lease ([0-9a-f]+) granted with TTL");
    private static final Pattern REMAINING = Pattern.compile("remaining\\((\\d+)s\\)");
    private static final Pattern ATTACHED = Pattern.compile("attached keys\\(\\[([^\\]]*)\\]\\)");
    private static final Pattern ARG = Pattern.compile("\\{(lease-\\d+|rev)\\}");

    private final String endpoint;
    private final OutputNormaliser normaliser;
    private final Map<String, String> leases = new LinkedHashMap<>(); // hex id -> placeholder
    private final Map<String, String> args = new LinkedHashMap<>();   // placeholder -> hex id or revision
    private final List<String> rendered = new ArrayList<>();

    LeaseWatchScenario(String endpoint, OutputNormaliser normaliser) {
        this.endpoint = endpoint;
        this.normaliser = normaliser;
    }

    /** Runs every step; returns "label\nrendered output" per step. */
    List<String> run() throws Exception {
        // Grants: a lease to attach keys to, etcd's minimum TTL rule, etcd's TTL ceiling.
        step("lease", "grant", "60");
        step("lease", "grant", "9000000001");
        // Keys with the lease, and a watch's history to replay later.
        Etcdctl.Result first = step("put", "lw/a", "1", "--lease={lease-1}", "-w", "json");
        args.put("rev", Long.toString(Members.revisionOf(first)));
        step("put", "lw/b", "2", "--lease={lease-1}");
        step("put", "lw/c", "3", "--prev-kv");
        step("put", "lw/d", "4", "--lease=1234");
        step("get", "lw/", "--prefix", "-w", "json");
        // TTL answers.
        step("lease", "timetolive", "{lease-1}");
        step("lease", "timetolive", "{lease-1}", "--keys");
        step("lease", "timetolive", "4d2");
        step("lease", "keep-alive", "--once", "{lease-1}");
        step("lease", "keep-alive", "--once", "4d2");
        step("lease", "list");
        step("lease", "revoke", "4d2");
        // History the watch will replay: a txn, a delete, then the revoke deleting both leased keys.
        stepWithInput("\nput lw/c 33\nput lw/e 5\n\n\n", "txn", "-w", "json");
        step("del", "lw/c", "--prev-kv");
        step("lease", "revoke", "{lease-1}");
        step("lease", "timetolive", "{lease-1}", "--keys");
        step("lease", "keep-alive", "--once", "{lease-1}");
        step("get", "lw/", "--prefix");
        step("put", "lw/zz", "end");
        watch("--rev={rev}", "--prefix", "lw/");
        watch("--rev={rev}", "--prefix", "lw/", "--prev-kv");
        watch("--rev={rev}", "lw/b", "lw/zzz");
        // A watch below the compaction point is cancelled with etcd's text.
        step("compaction", "{rev}");
        watch("--rev=2", "lw/a");
        step("lease", "grant", "0");
        return rendered;
    }

    private Etcdctl.Result step(String... raw) throws Exception {
        return stepWithInput(null, raw);
    }

    private Etcdctl.Result stepWithInput(String stdin, String... raw) throws Exception {
        String[] a = substitute(raw);
        Etcdctl.Result r = Etcdctl.runWithInput(endpoint, stdin, a);
        Matcher m = GRANTED.matcher(r.stdout());
        while (m.find()) {
            String placeholder = "lease-" + (leases.size() + 1);
            leases.putIfAbsent(m.group(1), placeholder);
            args.putIfAbsent(placeholder, m.group(1));
        }
        rendered.add(String.join(" ", raw) + "\nexit " + r.exitCode() + "\nstdout:\n" + normalise(r.stdout())
                + "\nstderr:\n" + normalise(r.stderr()));
        return r;
    }

    /**
     * A watch replaying history: its output up to the sentinel key (or its exit, when the server
     * cancels it). The simple format prints event by event, so how a server batches events into
     * responses does not show; the order and content of events do.
     */
    private void watch(String... raw) throws Exception {
        String[] a = substitute(raw);
        try (EtcdctlWatch w = EtcdctlWatch.start(endpoint, a)) {
            String out;
            if (Arrays.asList(raw).contains("--rev=2")) {
                int exit = w.awaitExit();
                out = "exit " + exit + "\nstdout:\n" + String.join("\n", w.stdout()) + "\nstderr:\n" + w.stderr();
            } else {
                out = "stdout:\n" + String.join("\n", awaitSentinel(w));
            }
            rendered.add("watch " + String.join(" ", raw) + "\n" + normalise(out));
        }
    }

    /** Lines up to and including the sentinel's event, the last write every watch here sees. */
    private static List<String> awaitSentinel(EtcdctlWatch w) throws InterruptedException {
        int n = 3;
        while (true) {
            List<String> lines = w.awaitLines(n);
            int last = lines.size() - 1;
            if (lines.get(last).equals("end") && lines.get(last - 1).equals("lw/zz")) {
                return lines;
            }
            n = lines.size() + 1;
        }
    }

    private String[] substitute(String[] raw) {
        String[] out = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            Matcher m = ARG.matcher(raw[i]);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String v = args.get(m.group(1));
                if (v == null) {
                    throw new IllegalStateException("no " + m.group(1) + " yet for " + Arrays.toString(raw));
                }
                m.appendReplacement(b, v);
            }
            m.appendTail(b);
            out[i] = b.toString();
        }
        return out;
    }

    private String normalise(String text) {
        String out = normaliser.normalise(text);
        for (Map.Entry<String, String> e : leases.entrySet()) {
            String decimal = Long.toUnsignedString(Long.parseUnsignedLong(e.getKey(), 16));
            out = out.replaceAll("\\b" + e.getKey() + "\\b", "<" + e.getValue() + ">")
                    .replaceAll("\\b" + decimal + "\\b", "<" + e.getValue() + ">");
        }
        out = GRANTED.matcher(out).replaceAll("lease <new-lease> granted with TTL");
        out = REMAINING.matcher(out).replaceAll(m -> Long.parseLong(m.group(1)) > 0 ? "remaining(<live>s)" : m.group());
        return ATTACHED.matcher(out).replaceAll(m -> {
            List<String> keys = new ArrayList<>(Arrays.asList(m.group(1).split(" ")));
            keys.sort(null);
            return Matcher.quoteReplacement("attached keys([" + String.join(" ", keys) + "])");
        });
    }
}
