package io.keel.backend.e2e;

import io.etcd.jetcd.Client;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to the leader of a real 3-member cluster: it hands leadership to another voter (the
 * new leader comes from the transfer, which the stopping member reports only once that voter
 * leads), stops cleanly with the JVM's SIGTERM exit code, loses no acknowledged write, and
 * resumes from its data dir when restarted.
 */
class GracefulStopTest {
    private static final Pattern HANDED = Pattern.compile("keel: handed leadership to ([0-9a-f]+)");
    private static final int SIGTERM_EXIT = 143;
    private static final int CATCH_UP_ATTEMPTS = 100;

    @TempDir
    Path dir;
    private final List<KeelProcess> members = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (KeelProcess m : members) {
            m.close();
        }
    }

    /** The live member that says it leads, and its id. */
    private static long[] statusOf(KeelProcess m) throws Exception {
        try (Client c = Client.builder().endpoints(m.clientUrl()).build()) {
            var status = c.getMaintenanceClient().statusMember(m.clientUrl()).get(30, TimeUnit.SECONDS);
            return new long[] {status.getHeader().getMemberId(), status.getLeader()};
        }
    }

    @Test
    void sigtermToTheLeaderHandsLeadershipOverStopsCleanlyAndRestartsFromItsDataDir() throws Exception {
        Etcdctl.requireInstalled();
        for (String name : List.of("m1", "m2", "m3")) {
            members.add(new KeelProcess(name, dir.resolve(name), FreePorts.next(), FreePorts.next()));
        }
        String initial = Members.initialCluster(members);
        for (KeelProcess m : members) {
            m.start(initial, "new");
        }
        Members.awaitWritable(Members.endpoints(members));
        KeelProcess leader = null;
        for (KeelProcess m : members) {
            long[] s = statusOf(m);
            if (s[0] == s[1]) {
                leader = m;
            }
        }
        assertThat(leader).as("a leader").isNotNull();
        List<Integer> acknowledged = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            if (Etcdctl.run(Members.endpoints(members), "put", "g" + i, "v" + i).ok()) {
                acknowledged.add(i);
            }
        }
        assertThat(acknowledged).hasSize(20);

        int exit = leader.stop();

        assertThat(exit).as(leader.output()).isEqualTo(SIGTERM_EXIT);
        assertThat(leader.output()).contains("keel: stopping").contains("keel: stopped")
                .doesNotContain("unclean stop");
        Matcher handed = HANDED.matcher(leader.output());
        assertThat(handed.find()).as(leader.output()).isTrue();
        long transferee = Long.parseUnsignedLong(handed.group(1), 16);
        KeelProcess stopped = leader;
        List<KeelProcess> survivors = members.stream().filter(m -> m != stopped).toList();
        for (KeelProcess s : survivors) {
            assertThat(statusOf(s)[1]).as("leader seen by " + s.name).isEqualTo(transferee);
        }
        for (int i : acknowledged) {
            assertThat(Etcdctl.run(Members.endpoints(survivors), "get", "g" + i, "--print-value-only").stdout())
                    .isEqualTo("v" + i + "\n");
        }
        assertThat(Etcdctl.run(Members.endpoints(survivors), "put", "while-down", "yes").ok()).isTrue();

        leader.start(initial, "new");
        String seen = "";
        for (int i = 0; i < CATCH_UP_ATTEMPTS && !seen.equals("yes\n"); i++) {
            seen = Etcdctl.run(leader.clientUrl(), "get", "while-down", "--consistency=s", "--print-value-only").stdout();
        }
        assertThat(seen).isEqualTo("yes\n");
        assertThat(Etcdctl.run(leader.clientUrl(), "get", "g0", "--consistency=s", "--print-value-only").stdout())
                .isEqualTo("v0\n");
    }
}
