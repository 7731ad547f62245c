package io.keel.backend.e2e;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leases on a real 3-member Keel through jetcd: keep-alives sent to a follower reach the leader,
 * and a lease outlives a kill -9 of the leader for its remaining TTL — not a fresh one, not less.
 */
class LeaseClusterTest {
    private static final long TIMEOUT_SECONDS = 30;
    private static final int POLLS = 2_000;

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
        cluster = TestCluster.start(dir, "l", 3, "--experimental-lease-checkpoint-interval", "1s");
        members = cluster.members;
    }

    private KeelProcess leader() throws Exception {
        return cluster.leader();
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    @Test
    void keepAlivesAndTimeToLiveThroughAFollowerAreAnsweredByTheLeader() throws Exception {
        startCluster();
        KeelProcess leader = leader();
        KeelProcess follower = members.stream().filter(m -> m != leader).findFirst().orElseThrow();
        try (Client viaFollower = Client.builder().endpoints(follower.clientUrl()).build();
             Client viaLeader = Client.builder().endpoints(leader.clientUrl()).build()) {
            long id = viaFollower.getLeaseClient().grant(30).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getID();
            long ttl = 30;
            for (int i = 0; i < POLLS && ttl >= 29; i++) {
                ttl = viaLeader.getLeaseClient().timeToLive(id, LeaseOption.DEFAULT)
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getTTL();
            }
            assertThat(ttl).as("the lease runs down on the leader").isLessThan(29);

            var renewed = viaFollower.getLeaseClient().keepAliveOnce(id).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

            assertThat(renewed.getTTL()).isEqualTo(30);
            long afterRenewal = viaFollower.getLeaseClient().timeToLive(id, LeaseOption.DEFAULT)
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getTTL();
            assertThat(afterRenewal).as("the follower reports the leader's clock").isGreaterThan(ttl);
            assertThat(viaFollower.getLeaseClient().timeToLive(0x7abcdefL, LeaseOption.DEFAULT)
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getTTL()).isEqualTo(-1);
        }
    }

    @Test
    void aLeaseOutlivesALeaderKillForItsRemainingTtlAndThenTakesItsKeys() throws Exception {
        startCluster();
        KeelProcess oldLeader = leader();
        List<KeelProcess> survivors = members.stream().filter(m -> m != oldLeader).toList();
        long ttlSeconds = 8;
        long beforeGrant = System.nanoTime();
        long id;
        long hourLease;
        long hourLeftBeforeKill = 3_600;
        try (Client c = Client.builder().endpoints(Members.endpoints(members).split(",")).build()) {
            id = c.getLeaseClient().grant(ttlSeconds).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getID();
            c.getKVClient().put(bytes("leased"), bytes("v"), PutOption.builder().withLeaseId(id).build())
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            hourLease = c.getLeaseClient().grant(3_600).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getID();
            long ttl = ttlSeconds;
            for (int i = 0; i < POLLS && ttl > ttlSeconds - 3; i++) {
                ttl = c.getLeaseClient().timeToLive(id, LeaseOption.DEFAULT).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getTTL();
            }
            // Let the hour run down a few seconds, so that a fresh hour after the kill would show.
            for (int i = 0; i < POLLS && hourLeftBeforeKill > 3_596; i++) {
                hourLeftBeforeKill = c.getLeaseClient().timeToLive(hourLease, LeaseOption.DEFAULT)
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getTTL();
            }
        }
        assertThat(hourLeftBeforeKill).isLessThanOrEqualTo(3_596);

        oldLeader.kill9();

        String endpoints = Members.endpoints(survivors);
        Members.awaitWritable(endpoints);
        try (Client c = Client.builder().endpoints(endpoints.split(",")).build()) {
            long hourLeftAfterKill = c.getLeaseClient().timeToLive(hourLease, LeaseOption.DEFAULT)
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getTTL();
            assertThat(hourLeftAfterKill).as("the new leader did not give the lease a fresh hour")
                    .isLessThanOrEqualTo(hourLeftBeforeKill + 1);
        }
        boolean gone = false;
        for (int i = 0; i < POLLS && !gone; i++) {
            gone = Etcdctl.run(endpoints, "get", "leased", "--print-value-only").stdout().isEmpty();
            if (gone) {
                long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - beforeGrant);
                assertThat(elapsedMillis).as("the key outlived its lease's TTL").isGreaterThanOrEqualTo(ttlSeconds * 1000);
            }
        }
        assertThat(gone).as("the key went with its lease after the leader change").isTrue();
        String ttl = Etcdctl.run(endpoints, "lease", "timetolive", Long.toHexString(id)).stdout();
        // etcdctl prints lease ids zero-padded to 16 hex digits (%016x).
        assertThat(ttl).isEqualTo("lease " + String.format("%016x", id) + " already expired\n");
    }
}
