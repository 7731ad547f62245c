package io.keel.backend.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The membership half of the differential test: the requests a single member must refuse when
 * they are proposed (a peer URL already taken, by another member or by the server itself; a
 * second learner; a promotion of a learner that has not caught up; a removal of a member already
 * removed) beside the ones it accepts around them, run against one server, each step rendered
 * after normalisation. The learner added is never started, so the cluster keeps its quorum. What
 * legitimately differs is replaced: the learners' ids ({@code <learner-N>} in the order added),
 * the cluster id, the order of members in lists (etcd sorts them by id). Arguments may name the
 * first learner as {@code {learner}} and the server's own peer URL as {@code {peer}}. Test
 * thread only.
 */
final class MembershipScenario {
    /** etcdctl prints ids with Go's %16x (space-padded below 2^60); the cluster ids differ. */
    private static final Pattern CHANGED =
            Pattern.compile("Member +([0-9a-f]+) (added to|removed from) cluster +[0-9a-f]+");
    private static final Pattern INITIAL_CLUSTER = Pattern.compile("ETCD_INITIAL_CLUSTER=\"([^\"]*)\"");

    private final String endpoint;
    private final String peerUrl;
    private final OutputNormaliser normaliser;
    private final List<String> rendered = new ArrayList<>();
    private final List<String> learners = new ArrayList<>(); // hex ids, in the order added

    MembershipScenario(String endpoint, String peerUrl, OutputNormaliser normaliser) {
        this.endpoint = endpoint;
        this.peerUrl = peerUrl;
        this.normaliser = normaliser;
    }

    /** Runs every step; returns "label\nrendered output" per step. */
    List<String> run() throws Exception {
        step("member", "add", "learner1", "--learner", "--peer-urls=http://127.0.0.1:1");
        // Each refused add names another set of URLs, so its id (a hash of the URLs and the second)
        // differs from the first learner's whenever it runs: etcd checks a known id first.
        step("member", "add", "learner2", "--learner", "--peer-urls=http://127.0.0.1:2,http://127.0.0.1:1");
        step("member", "add", "learner2", "--learner", "--peer-urls={peer}");
        step("member", "add", "learner2", "--learner", "--peer-urls=http://127.0.0.1:2");
        step("member", "promote", "{learner}");
        step("member", "list");
        step("member", "update", "{learner}", "--peer-urls={peer}");
        step("member", "remove", "{learner}");
        step("member", "remove", "{learner}");
        step("member", "promote", "{learner}");
        step("member", "update", "{learner}", "--peer-urls=http://127.0.0.1:3");
        // Its URL is free again.
        step("member", "add", "learner3", "--learner", "--peer-urls=http://127.0.0.1:1,http://127.0.0.1:4");
        step("member", "list");
        return rendered;
    }

    private void step(String... raw) throws Exception {
        String[] a = Arrays.stream(raw).map(s -> s.replace("{peer}", peerUrl)
                .replace("{learner}", learners.isEmpty() ? "{learner}" : learners.get(0))).toArray(String[]::new);
        Etcdctl.Result r = Etcdctl.run(endpoint, a);
        Matcher m = CHANGED.matcher(r.stdout());
        if (m.find() && m.group(2).equals("added to")) {
            learners.add(m.group(1));
        }
        rendered.add(String.join(" ", raw) + "\nexit " + r.exitCode() + "\nstdout:\n" + normalise(r.stdout())
                + "\nstderr:\n" + normalise(r.stderr()));
    }

    private String normalise(String text) {
        String out = CHANGED.matcher(text).replaceAll("Member $1 $2 cluster <cluster-id>");
        for (int i = 0; i < learners.size(); i++) {
            out = out.replaceAll("\\b" + learners.get(i) + "\\b", "<learner-" + (i + 1) + ">");
        }
        out = normaliser.normalise(out);
        out = INITIAL_CLUSTER.matcher(out).replaceAll(m -> {
            List<String> members = new ArrayList<>(Arrays.asList(m.group(1).split(",")));
            members.sort(null);
            return Matcher.quoteReplacement("ETCD_INITIAL_CLUSTER=\"" + String.join(",", members) + "\"");
        });
        if (out.contains(", started, ") || out.contains(", unstarted, ")) {
            List<String> lines = new ArrayList<>(Arrays.asList(out.split("\n")));
            lines.sort(null);
            out = String.join("\n", lines);
        }
        return out;
    }
}
