package io.keel.backend.e2e;

import io.etcd.jetcd.Client;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Keel cluster of child JVMs on free ports, started with {@code --initial-cluster-state new}
 * and returned once it acknowledges a write. Test thread only.
 */
final class TestCluster implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 30;

    final List<KeelProcess> members = new ArrayList<>();

    private TestCluster() {
    }

    /** Members named {@code prefix1..prefixN} under {@code dir}, each with {@code flags}. */
    static TestCluster start(Path dir, String prefix, int size, String... flags) throws Exception {
        Etcdctl.requireInstalled();
        TestCluster c = new TestCluster();
        try {
            for (int i = 1; i <= size; i++) {
                c.members.add(new KeelProcess(prefix + i, dir.resolve(prefix + i), FreePorts.next(), FreePorts.next()));
            }
            String initial = Members.initialCluster(c.members);
            for (KeelProcess m : c.members) {
                m.start(initial, "new", flags);
            }
            Members.awaitWritable(c.endpoints());
            return c;
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
    }

    String endpoints() {
        return Members.endpoints(members);
    }

    String[] endpointList() {
        return members.stream().map(KeelProcess::clientUrl).toArray(String[]::new);
    }

    /**
     * The member that says it leads, asked through jetcd's Maintenance/Status; retried for a while,
     * since on a loaded machine an election may be under way.
     */
    KeelProcess leader() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS * 2);
        do {
            for (KeelProcess m : members) {
                if (m.alive() && leads(m)) {
                    return m;
                }
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no member says it is the leader");
    }

    private static boolean leads(KeelProcess m) throws Exception {
        try (Client c = Client.builder().endpoints(m.clientUrl()).build()) {
            var status = c.getMaintenanceClient().statusMember(m.clientUrl()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return status.getLeader() == status.getHeader().getMemberId();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false; // a member that cannot answer now does not lead now
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (KeelProcess m : members) {
            m.close();
        }
    }
}
