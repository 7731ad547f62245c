package io.keel.backend.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that cannot commit (the other two members are gone) fails with etcd's error once the
 * request timeout (5 s + 2 election timeouts, 6 s here) has passed, before etcdctl's own 10 s, and
 * the member keeps serving. The member's periodic sweep of overdue proposals, which replaced a
 * timer task per request, must fire for that.
 */
class RequestTimeoutTest {
    @TempDir
    Path dir;

    @Test
    void aWriteWithoutQuorumFailsWithEtcdsErrorAfterTheRequestTimeout() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, "rt", 3, "--election-timeout", "500", "--heartbeat-interval", "50")) {
            KeelProcess survivor = cluster.members.get(0);
            cluster.members.get(1).kill9();
            cluster.members.get(2).kill9();
            Etcdctl.Result put = Etcdctl.run(survivor.clientUrl(), "put", "k", "v");
            assertThat(put.exitCode()).as("a write without quorum must fail").isNotZero();
            assertThat(put.stderr()).containsAnyOf("etcdserver: request timed out", "etcdserver: no leader")
                    .doesNotContain("context deadline exceeded");
            // Still serving: a serializable read answers.
            Etcdctl.Result get = Etcdctl.run(survivor.clientUrl(), "get", "k", "--consistency=s");
            assertThat(get.exitCode()).as(get.stderr()).isZero();
        }
    }
}
