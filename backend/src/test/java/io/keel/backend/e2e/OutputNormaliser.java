package io.keel.backend.e2e;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes one etcdctl output comparable with another server's: the things that legitimately
 * differ between two clusters (URLs, member and cluster ids, terms, Raft indexes, timestamps,
 * client ids in log lines, database sizes, the server version) become placeholders. Everything
 * else (values, counts, orders, revisions, errors) is left as it is. Immutable; thread-safe.
 */
final class OutputNormaliser {
    private static final List<Replacement> FIXED = List.of(
            new Replacement("\"ts\":\"[^\"]*\"", "\"ts\":\"<ts>\""),
            new Replacement("\"ts\":[0-9.e+]+", "\"ts\":<ts>"),
            new Replacement("endpoint://client-[0-9a-f-]+/", "endpoint://client-<uuid>/"),
            new Replacement("\"(cluster_id|member_id|raft_term|leader|raftIndex|raftTerm|raftAppliedIndex|ID)\":\\d+",
                    "\"$1\":<n>"),
            new Replacement("\"(dbSize|dbSizeInUse)\":\\d+", "\"$1\":<size>"),
            new Replacement("\"version\":\"[0-9.]+\"", "\"version\":\"<version>\""),
            new Replacement("took = [0-9.]+[a-zµ]*s", "took = <duration>"));

    private final String clientUrl;
    private final String peerUrl;
    private final List<String> memberIdsHex;

    OutputNormaliser(String clientUrl, String peerUrl, List<String> memberIdsHex) {
        this.clientUrl = clientUrl;
        this.peerUrl = peerUrl;
        this.memberIdsHex = List.copyOf(memberIdsHex);
    }

    String normalise(String text) {
        String out = text.replace(clientUrl, "<client-url>").replace(peerUrl, "<peer-url>")
                .replace(clientUrl.replace("http://", ""), "<client-addr>");
        for (String id : memberIdsHex) {
            out = out.replaceAll("\\b" + Pattern.quote(id) + "\\b", "<member-id>");
        }
        for (Replacement r : FIXED) {
            out = r.pattern.matcher(out).replaceAll(r.replacement);
        }
        return out;
    }

    private record Replacement(Pattern pattern, String replacement) {
        Replacement(String regex, String replacement) {
            this(Pattern.compile(regex), replacement);
        }
    }

    /** The hex member ids in an etcdctl "member list" output. */
    static List<String> memberIds(String memberList) {
        Matcher m = Pattern.compile("(?m)^([0-9a-f]+),").matcher(memberList);
        List<String> ids = new java.util.ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }
}
