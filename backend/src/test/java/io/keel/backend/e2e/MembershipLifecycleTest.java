package io.keel.backend.e2e;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The membership lifecycle with real processes and real etcdctl: a learner added to a 3-member
 * cluster whose log is compacted (low {@code --snapshot-count}) joins with
 * {@code --initial-cluster-state existing}, catches up by snapshot, is promoted through a
 * follower (refused while behind), serves the data; another member is removed and the cluster
 * stays writable. Also: joining without MemberAdd fails with etcd's error, and jetcd's Cluster
 * client lists, adds and removes.
 */
class MembershipLifecycleTest {
    /** etcdctl prints these ids with Go's %16x: padded with spaces when below 2^60. */
    private static final Pattern ADDED = Pattern.compile("Member +([0-9a-f]+) added to cluster +([0-9a-f]+)");
    private static final int ATTEMPTS = 100;
    private static final String SNAPSHOT_COUNT = "20";

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
        cluster = TestCluster.start(dir, "m", 3, "--snapshot-count", SNAPSHOT_COUNT);
        members = cluster.members;
    }

    private KeelProcess leader() throws Exception {
        return cluster.leader();
    }

    @Test
    void aLearnerJoinsByCompactedSnapshotIsPromotedThroughAFollowerAndAnotherMemberIsRemoved() throws Exception {
        startCluster();
        String endpoints = Members.endpoints(members);
        for (int i = 0; i < 120; i++) {
            assertThat(Etcdctl.run(endpoints, "put", "k" + i, "v" + i).ok()).isTrue();
        }
        KeelProcess joining = new KeelProcess("m4", dir.resolve("m4"), FreePorts.next(), FreePorts.next());
        Etcdctl.Result added = Etcdctl.run(endpoints, "member", "add", "m4", "--learner",
                "--peer-urls=" + joining.peerUrl());
        assertThat(added.ok()).as(added.toString()).isTrue();
        Matcher m = ADDED.matcher(added.stdout());
        assertThat(m.find()).as(added.stdout()).isTrue();
        String learnerId = m.group(1);

        KeelProcess follower = members.stream().filter(p -> {
            try {
                return p != leader();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).findFirst().orElseThrow();
        // Not started yet: its log is empty, far behind the leader's.
        Etcdctl.Result early = Etcdctl.run(follower.clientUrl(), "member", "promote", learnerId);
        assertThat(early.ok()).isFalse();
        assertThat(early.stderr())
                .contains("etcdserver: can only promote a learner member which is in sync with leader");

        members.add(joining);
        joining.start(Members.initialCluster(members), "existing", "--snapshot-count", SNAPSHOT_COUNT);
        assertThat(joining.output()).contains("member " + learnerId + " (m4) of cluster " + m.group(2));
        // etcd's stream interceptor: a learner serves no Watch stream (UNAVAILABLE, which etcd's own
        // clients retry forever, hence a raw gRPC stream here).
        RawWatch.First refused = RawWatch.first(joining.clientUrl(), "k1");
        assertThat(refused.status()).as("a learner's Watch stream").isNotNull();
        assertThat(refused.status().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
        assertThat(refused.status().getDescription()).isEqualTo("etcdserver: rpc not supported for learner");

        Etcdctl.Result promoted = null;
        for (int i = 0; i < ATTEMPTS && (promoted == null || !promoted.ok()); i++) {
            promoted = Etcdctl.run(follower.clientUrl(), "member", "promote", learnerId);
            if (!promoted.ok()) {
                assertThat(promoted.stderr()).as(promoted.toString())
                        .contains("etcdserver: can only promote a learner member which is in sync with leader");
            }
        }
        assertThat(promoted.ok()).as(promoted.toString()).isTrue();
        assertThat(promoted.stdout()).contains("Member " + String.format("%16s", learnerId) + " promoted in cluster");
        // The leader that decided them counted the refused and the successful promotion (etcd's metrics).
        double successes = 0;
        double notReady = 0;
        for (KeelProcess p : members) {
            if (p != joining) {
                MetricsScrape scrape = MetricsScrape.of(p.clientUrl());
                successes += scrape.value("etcd_server_learner_promote_successes");
                notReady += scrape.valueOrZero("etcd_server_learner_promote_failures{Reason=\"etcdserver: can only "
                        + "promote a learner member which is in sync with leader\"}");
            }
        }
        assertThat(successes).isEqualTo(1);
        assertThat(notReady).isGreaterThanOrEqualTo(1);
        assertThat(Etcdctl.run(joining.clientUrl(), "get", "k119", "--print-value-only").stdout()).isEqualTo("v119\n");
        assertThat(Etcdctl.run(joining.clientUrl(), "get", "k0", "--print-value-only").stdout()).isEqualTo("v0\n");
        RawWatch.First served = null;
        for (int i = 0; i < ATTEMPTS && (served == null || served.response() == null); i++) {
            served = RawWatch.first(joining.clientUrl(), "k1"); // the promotion may still be applying there
        }
        assertThat(served.response()).as("the promoted member's Watch stream: " + served.status()).isNotNull();
        assertThat(served.response().getCreated()).isTrue();

        KeelProcess leader = leader();
        KeelProcess removed = members.stream().filter(p -> p != leader && p != joining).findFirst().orElseThrow();
        String removedId = memberIdOf(removed);
        List<KeelProcess> rest = members.stream().filter(p -> p != removed).toList();
        Etcdctl.Result gone = Etcdctl.run(Members.endpoints(rest), "member", "remove", removedId);
        assertThat(gone.ok()).as(gone.toString()).isTrue();
        Members.awaitWritable(Members.endpoints(rest));
        assertThat(Etcdctl.run(Members.endpoints(rest), "put", "after-remove", "yes").ok()).isTrue();
        assertThat(Etcdctl.run(joining.clientUrl(), "get", "after-remove", "--print-value-only").stdout())
                .isEqualTo("yes\n");
        String list = Etcdctl.run(Members.endpoints(rest), "member", "list").stdout();
        assertThat(list).doesNotContain(removed.peerUrl()).contains(joining.peerUrl());
        assertThat(list).contains(learnerId + ", started, m4, " + joining.peerUrl() + ", " + joining.clientUrl() + ", false");

        // Restarted, the joined member keeps the id and cluster it was given.
        joining.stop();
        joining.start(Members.initialCluster(members), "existing", "--snapshot-count", SNAPSHOT_COUNT);
        assertThat(joining.output()).contains("member " + learnerId + " (m4) of cluster " + m.group(2));
        assertThat(Etcdctl.run(joining.clientUrl(), "get", "after-remove", "--print-value-only").stdout())
                .isEqualTo("yes\n");
    }

    private String memberIdOf(KeelProcess p) throws Exception {
        for (String line : Etcdctl.run(Members.endpoints(members), "member", "list").stdout().split("\n")) {
            if (line.contains(", " + p.name + ", ")) {
                return line.substring(0, line.indexOf(','));
            }
        }
        throw new AssertionError("no member " + p.name);
    }

    @Test
    void joiningAnExistingClusterWithoutMemberAddFailsWithEtcdsError() throws Exception {
        startCluster();
        KeelProcess stranger = new KeelProcess("m4", dir.resolve("m4"), FreePorts.next(), FreePorts.next());
        List<KeelProcess> all = new ArrayList<>(members);
        all.add(stranger);
        members.add(stranger);

        assertThatThrownBy(() -> stranger.start(Members.initialCluster(all), "existing"))
                .hasMessageContaining("error validating peerURLs {ClusterID:")
                .hasMessageContaining("member count is unequal");
    }

    @Test
    void jetcdListsAddsAndRemovesMembers() throws Exception {
        startCluster();
        try (Client c = Client.builder().endpoints(members.stream().map(KeelProcess::clientUrl).toArray(String[]::new))
                .build()) {
            var cluster = c.getClusterClient();
            assertThat(cluster.listMember().get(30, TimeUnit.SECONDS).getMembers()).hasSize(3);
            URI peer = URI.create("http://127.0.0.1:" + FreePorts.next());
            Member added = cluster.addMember(List.of(peer), true).get(30, TimeUnit.SECONDS).getMember();
            assertThat(added.isLearner()).isTrue();
            // MemberList is answered from the member's own view, as etcd 3.4's: a follower that has
            // not applied the change yet still lists the old membership, so wait for each view.
            assertThat(listedEventually(cluster, ids -> ids.contains(added.getId())))
                    .contains(added.getId());

            removeRetryingTransientErrors(cluster, added.getId());

            assertThat(listedEventually(cluster, ids -> !ids.contains(added.getId()) && ids.size() == 3))
                    .doesNotContain(added.getId()).hasSize(3);
        }
    }

    /**
     * Removes {@code id}, trying again while the cluster answers with a transient error (an
     * election under way on a loaded machine: "no leader", "leader changed", "request timed
     * out"), as an operator would. A removal that was applied although its answer was lost makes
     * the retry answer "member not found", which counts as done.
     */
    private static void removeRetryingTransientErrors(io.etcd.jetcd.Cluster cluster, long id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        boolean retried = false;
        while (true) {
            try {
                cluster.removeMember(id).get(30, TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                String msg = String.valueOf(e.getCause().getMessage());
                if (retried && msg.contains("member not found")) {
                    return;
                }
                boolean transientError = msg.contains("no leader") || msg.contains("leader changed")
                        || msg.contains("request timed out");
                if (!transientError || System.nanoTime() > deadline) {
                    throw e;
                }
                retried = true;
            }
        }
    }

    /** Member ids as listed once {@code wanted} holds (or the last listing after 60 s). */
    private static List<Long> listedEventually(io.etcd.jetcd.Cluster cluster,
                                               java.util.function.Predicate<List<Long>> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<Long> ids = cluster.listMember().get(30, TimeUnit.SECONDS).getMembers().stream()
                    .map(Member::getId).toList();
            if (wanted.test(ids) || System.nanoTime() > deadline) {
                return ids;
            }
        }
    }
}
