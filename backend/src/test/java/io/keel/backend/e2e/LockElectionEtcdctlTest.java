package io.keel.backend.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** etcdctl's lock and elect (etcd's v3lock and v3election services) against a real Keel. */
class LockElectionEtcdctlTest {
    private static final long WAIT_SECONDS = 120;

    @TempDir
    static Path dir;
    private static TestCluster cluster;
    private static KeelProcess member;
    private static String ep;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(dir, "e", 1);
        member = cluster.members.get(0);
        ep = cluster.endpoints();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A long-running etcdctl whose stdout lines are collected as they come. */
    private static final class Background implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Background(String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints=" + ep));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("ETCDCTL_API", "3");
            process = pb.start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        lines.add(line);
                    }
                } catch (Exception e) {
                    lines.add("<read failed: " + e + ">");
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        String nextLine() throws InterruptedException {
            String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(line).as("etcdctl printed a line").isNotNull();
            return line;
        }

        void interrupt() throws Exception {
            new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static List<String> keys(String prefix) throws Exception {
        return Etcdctl.run(ep, "get", prefix, "--prefix", "--keys-only").stdout().lines()
                .filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void lockRunsTheCommandWhileHoldingTheLockAndReleasesIt() throws Exception {
        Etcdctl.Result r = Etcdctl.run(ep, "lock", "job-lock", "echo", "held");
        assertThat(r.stdout()).as(r.toString()).isEqualTo("held\n");
        assertThat(keys("job-lock/")).as("the lock key is gone after the command").isEmpty();
    }

    @Test
    void aWaiterGetsTheLockOnlyAfterTheHolderDiesAndItsLeaseExpires() throws Exception {
        try (Background holder = new Background("lock", "--ttl=2", "shared-lock")) {
            String holderKey = holder.nextLine();
            assertThat(holderKey).startsWith("shared-lock/");
            try (Background waiter = new Background("lock", "--ttl=2", "shared-lock", "echo", "second")) {
                List<String> waiting = List.of();
                for (int i = 0; i < 600 && waiting.size() < 2; i++) {
                    waiting = keys("shared-lock/");
                }
                assertThat(waiting).as("both contenders have their ownership key").hasSize(2);
                assertThat(waiter.process.isAlive()).as("the waiter is blocked while the holder lives").isTrue();
                assertThat(waiter.lines).isEmpty();

                holder.process.destroyForcibly().waitFor();

                assertThat(waiter.nextLine()).isEqualTo("second");
                assertThat(waiter.process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
                assertThat(keys("shared-lock/")).as("the holder's key went with its lease").isEmpty();
            }
        }
    }

    @Test
    void electionLeadershipPassesToTheNextCandidateWhenTheLeaderResigns() throws Exception {
        try (Background first = new Background("elect", "my-election", "proposal-1");
             Background observer = new Background("elect", "-l", "my-election")) {
            assertThat(first.nextLine()).startsWith("my-election/");
            assertThat(first.nextLine()).isEqualTo("proposal-1");
            assertThat(observer.nextLine()).startsWith("my-election/");
            assertThat(observer.nextLine()).isEqualTo("proposal-1");
            try (Background second = new Background("elect", "my-election", "proposal-2")) {
                List<String> candidates = List.of();
                for (int i = 0; i < 600 && candidates.size() < 2; i++) {
                    candidates = keys("my-election/");
                }
                assertThat(candidates).hasSize(2);

                first.interrupt();

                assertThat(second.nextLine()).startsWith("my-election/");
                assertThat(second.nextLine()).isEqualTo("proposal-2");
                assertThat(observer.nextLine()).startsWith("my-election/");
                assertThat(observer.nextLine()).isEqualTo("proposal-2");
            }
        }
    }
}
