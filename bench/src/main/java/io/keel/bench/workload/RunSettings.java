package io.keel.bench.workload;

import io.keel.bench.client.Connections;
import io.keel.bench.report.Summary;
import io.keel.bench.report.TextReport;
import io.vertx.core.net.SocketAddress;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags every subcommand shares (etcd's benchmark root flags) and where its report goes.
 * Immutable.
 *
 * @param timeout the longest a whole run may take before it is reported as incomplete
 */
public record RunSettings(List<SocketAddress> endpoints, int clients, int conns, boolean targetLeader,
                          Duration timeout, PrintStream out) {

    public Connections open() {
        return Connections.open(endpoints, conns, targetLeader);
    }

    /** The JSON fields every report carries, then {@code more}. */
    public Map<String, String> jsonFields(Map<String, String> more) {
        Map<String, String> m = new LinkedHashMap<>();
        StringBuilder eps = new StringBuilder();
        for (SocketAddress a : endpoints) {
            eps.append(eps.length() == 0 ? "" : ",").append(a.host()).append(':').append(a.port());
        }
        m.put("endpoints", TextReport.quote(eps.toString()));
        m.put("clients", String.valueOf(clients));
        m.put("conns", String.valueOf(conns));
        m.putAll(more);
        return m;
    }

    /** Prints the human report, then the one JSON line; returns the exit code. */
    public int report(Summary s, boolean complete, Map<String, String> more) {
        out.print(TextReport.text(s));
        Map<String, String> fields = jsonFields(more);
        fields.put("complete", String.valueOf(complete));
        out.println();
        out.println(TextReport.json(s, fields));
        out.flush();
        return complete && s.errors() == 0 ? 0 : 1;
    }
}
