package io.keel.backend.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * etcd's NOSPACE cycle with real etcdctl: a tiny --quota-backend-bytes fills up, the alarm is
 * raised and writes fail with etcd's error; compaction, defragment and disarm make room again.
 */
class NoSpaceAlarmTest {
    private static final int QUOTA_BYTES = 4 * 1024 * 1024;
    private static final int MAX_FILLING_PUTS = 200;

    @TempDir
    Path dir;

    @Test
    void aFullQuotaRaisesNospaceAndCompactDefragDisarmClearsIt() throws Exception {
        Etcdctl.requireInstalled();
        try (KeelProcess m = new KeelProcess("q1", dir.resolve("q1"), FreePorts.next(), FreePorts.next())) {
            m.start("q1=" + m.peerUrl(), "new", "--quota-backend-bytes", String.valueOf(QUOTA_BYTES));
            String ep = m.clientUrl();
            Members.awaitWritable(ep);
            String value = "x".repeat(100 * 1024); // one argv string may not exceed 128 KiB

            Etcdctl.Result put = null;
            for (int i = 0; i < MAX_FILLING_PUTS; i++) {
                put = Etcdctl.run(ep, "put", "big", value);
                if (!put.ok()) {
                    break;
                }
            }

            assertThat(put.stderr()).as(put.toString()).contains("etcdserver: mvcc: database space exceeded");
            assertThat(Etcdctl.run(ep, "alarm", "list").stdout()).contains("alarm:NOSPACE");
            assertThat(Etcdctl.run(ep, "put", "small", "v").stderr())
                    .contains("etcdserver: mvcc: database space exceeded");

            long rev = Members.revisionOf(Etcdctl.run(ep, "get", "big", "-w", "json", "--keys-only"));
            assertThat(Etcdctl.run(ep, "compaction", "--physical", String.valueOf(rev)).ok()).isTrue();
            assertThat(Etcdctl.run(ep, "defrag").stdout()).contains("Finished defragmenting");
            assertThat(Etcdctl.run(ep, "alarm", "disarm").ok()).isTrue();

            assertThat(Etcdctl.run(ep, "alarm", "list").stdout()).isEmpty();
            assertThat(Etcdctl.run(ep, "put", "small", "v").stdout()).isEqualTo("OK\n");
            assertThat(Etcdctl.run(ep, "get", "big", "--print-value-only").stdout()).isEqualTo(value + "\n");
        }
    }
}
