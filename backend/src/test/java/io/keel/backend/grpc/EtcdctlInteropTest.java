package io.keel.backend.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.backend.RunningServer;
import io.keel.server.ServerBackends;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian's real etcdctl (package etcd-client, 3.4.x) against Keel. Runs only where etcdctl is
 * installed (.ci/run or `apt-get install etcd-client`).
 */
class EtcdctlInteropTest {
    private static final long WAIT_SECONDS = 60;

    @BeforeAll
    static void needsEtcdctl() {
        // Fails rather than skips: CI installs Debian's etcd-client, and a skipped interop test
        // would pass silently.
        if (Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .noneMatch(dir -> new File(dir, "etcdctl").canExecute())) {
            throw new IllegalStateException("etcdctl is not on PATH: install Debian's etcd-client (.ci/run does)");
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result etcdctl(int port, String... args) throws Exception {
        return etcdctlAt("127.0.0.1:" + port, args);
    }

    private static Result etcdctlAt(String endpoint, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoint, "--command-timeout=20s"));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    @Test
    void etcdctlEndpointStatusReadsTheMaintenanceBackend() throws Exception {
        try (RunningServer s = RunningServer.start(ServerBackends.unwired().withMaintenance(new StatusOnlyMaintenance()))) {
            Result r = etcdctl(s.port, "endpoint", "status", "-w", "json");
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(r.output()).contains("\"version\":\"3.5.0\"", "\"raftIndex\":77", "\"dbSize\":20480",
                    "\"member_id\":" + Long.toUnsignedString(StatusOnlyMaintenance.MEMBER_ID));
        }
    }

    @Test
    void etcdctlEndpointStatusWorksWithASchemeInTheEndpointToo() throws Exception {
        try (RunningServer s = RunningServer.start(ServerBackends.unwired().withMaintenance(new StatusOnlyMaintenance()))) {
            Result r = etcdctlAt("http://127.0.0.1:" + s.port, "endpoint", "status", "-w", "json");
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(r.output()).contains("\"raftIndex\":77");
        }
    }

    @Test
    void etcdctlGetOnTheUnwiredShellReportsUnimplemented() throws Exception {
        try (RunningServer s = RunningServer.start(ServerBackends.unwired())) {
            Result r = etcdctl(s.port, "get", "foo");
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.output()).contains("code = Unimplemented");
        }
    }
}
