package io.keel.backend.e2e;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers shared by the end-to-end tests. */
final class Members {
    private static final Pattern REVISION = Pattern.compile("\"revision\":(\\d+)");
    private static final int READY_ATTEMPTS = 60;

    private Members() {
    }

    /**
     * Returns once a write through {@code endpoints} is acknowledged (a leader is elected and the
     * member serves). Each attempt is bounded by etcdctl's own command timeout.
     */
    static void awaitWritable(String endpoints) throws Exception {
        Etcdctl.Result last = null;
        for (int i = 0; i < READY_ATTEMPTS; i++) {
            last = Etcdctl.run(endpoints, "put", "keel-e2e-ready", "1");
            if (last.ok()) {
                return;
            }
        }
        throw new AssertionError("no write was acknowledged through " + endpoints + ": " + last);
    }

    static long revisionOf(Etcdctl.Result jsonResult) {
        Matcher m = REVISION.matcher(jsonResult.stdout());
        if (!m.find()) {
            throw new AssertionError("no revision in " + jsonResult);
        }
        return Long.parseLong(m.group(1));
    }

    static String endpoints(List<KeelProcess> members) {
        return String.join(",", members.stream().map(KeelProcess::clientUrl).toList());
    }

    static String initialCluster(List<KeelProcess> members) {
        return String.join(",", members.stream().map(m -> m.name + "=" + m.peerUrl()).toList());
    }
}
