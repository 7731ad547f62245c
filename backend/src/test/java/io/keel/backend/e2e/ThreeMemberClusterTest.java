package io.keel.backend.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A real 3-member Keel cluster on loopback, driven by real etcdctl; the leader is killed with -9. */
class ThreeMemberClusterTest {
    private static final int CATCH_UP_ATTEMPTS = 100;

    @TempDir
    Path dir;
    private TestCluster cluster;
    private List<KeelProcess> members;

    @AfterEach
    void stopAll() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void startCluster() throws Exception {
        cluster = TestCluster.start(dir, "m", 3);
        members = cluster.members;
    }

    private KeelProcess leader() throws Exception {
        return cluster.leader();
    }

    private static final int READ_ATTEMPTS = 5;

    @Test
    void aWriteThroughOneMemberIsReadLinearizablyThroughEveryMember() throws Exception {
        startCluster();
        assertThat(Etcdctl.run(members.get(0).clientUrl(), "put", "shared", "value-1").stdout()).isEqualTo("OK\n");

        for (KeelProcess m : members) {
            // A read that fails (a timeout on a loaded machine) is retried; a read that succeeds
            // must see the write.
            Etcdctl.Result read = Etcdctl.run(m.clientUrl(), "get", "shared", "--print-value-only");
            for (int attempt = 1; attempt < READ_ATTEMPTS && !read.ok(); attempt++) {
                read = Etcdctl.run(m.clientUrl(), "get", "shared", "--print-value-only");
            }
            assertThat(read.stdout()).as(m.name + ": " + read).isEqualTo("value-1\n");
        }
        String list = Etcdctl.run(members.get(1).clientUrl(), "member", "list").stdout();
        for (KeelProcess m : members) {
            assertThat(list).contains(", started, " + m.name + ", " + m.peerUrl() + ", " + m.clientUrl());
        }
    }

    @Test
    void killingTheLeaderElectsAnotherAndLosesNoAcknowledgedWrite() throws Exception {
        startCluster();
        KeelProcess oldLeader = leader();
        List<KeelProcess> survivors = members.stream().filter(m -> m != oldLeader).toList();
        List<Integer> acknowledged = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            if (i == 20) {
                oldLeader.kill9();
            }
            String endpoints = i < 20 ? Members.endpoints(members) : Members.endpoints(survivors);
            if (Etcdctl.run(endpoints, "put", "w" + i, "v" + i).ok()) {
                acknowledged.add(i);
            }
        }

        Members.awaitWritable(Members.endpoints(survivors));
        assertThat(leader()).isIn(survivors);
        for (int i : acknowledged) {
            for (KeelProcess s : survivors) {
                assertThat(Etcdctl.run(s.clientUrl(), "get", "w" + i, "--print-value-only").stdout())
                        .as("w" + i + " on " + s.name).isEqualTo("v" + i + "\n");
            }
        }
        assertThat(acknowledged).hasSizeGreaterThan(30);

        oldLeader.start(Members.initialCluster(members), "new");
        int last = acknowledged.get(acknowledged.size() - 1);
        String caughtUp = "";
        for (int attempt = 0; attempt < CATCH_UP_ATTEMPTS && !caughtUp.equals("v" + last + "\n"); attempt++) {
            caughtUp = Etcdctl.run(oldLeader.clientUrl(), "get", "w" + last, "--consistency=s",
                    "--print-value-only").stdout();
        }
        assertThat(caughtUp).as("the restarted member caught up").isEqualTo("v" + last + "\n");
    }
}
