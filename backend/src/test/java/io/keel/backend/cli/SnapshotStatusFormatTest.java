package io.keel.backend.cli;

import io.keel.storage.mvcc.snapshot.SnapshotStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** keelutl prints snapshot status byte for byte as etcdctl 3.4 does (expected texts taken from etcdctl). */
class SnapshotStatusFormatTest {
    private final SnapshotStatus status = new SnapshotStatus(0x6976725f, 3, 6, 24576);

    @Test
    void tableMatchesEtcdctl() {
        assertThat(SnapshotStatusCommand.format(status, "table")).isEqualTo("""
                +----------+----------+------------+------------+
                |   HASH   | REVISION | TOTAL KEYS | TOTAL SIZE |
                +----------+----------+------------+------------+
                | 6976725f |        3 |          6 |      25 kB |
                +----------+----------+------------+------------+
                """);
    }

    @Test
    void simpleJsonAndFieldsMatchEtcdctl() {
        assertThat(SnapshotStatusCommand.format(status, "simple")).isEqualTo("6976725f, 3, 6, 25 kB\n");
        assertThat(SnapshotStatusCommand.format(status, "json"))
                .isEqualTo("{\"hash\":1769370207,\"revision\":3,\"totalKey\":6,\"totalSize\":24576}\n");
        assertThat(SnapshotStatusCommand.format(status, "fields"))
                .isEqualTo("\"Hash\" : 1769370207\n\"Revision\" : 3\n\"Keys\" : 6\n\"Size\" : 24576\n");
    }

    @Test
    void hashAboveTwoToThe31IsPrintedUnsigned() {
        SnapshotStatus high = new SnapshotStatus(0xfe01cf57, 10, 7, 2_100_000);
        assertThat(SnapshotStatusCommand.format(high, "json")).startsWith("{\"hash\":4261531479,");
        assertThat(SnapshotStatusCommand.format(high, "simple")).isEqualTo("fe01cf57, 10, 7, 2.1 MB\n");
    }

    @Test
    void bytesAreHumanisedAsGoHumanizeDoes() {
        for (List<Object> c : List.of(List.<Object>of(0L, "0 B"), List.<Object>of(9L, "9 B"), List.<Object>of(10L, "10 B"),
                List.<Object>of(999L, "999 B"), List.<Object>of(1000L, "1.0 kB"), List.<Object>of(24576L, "25 kB"),
                List.<Object>of(24500L, "24 kB"), List.<Object>of(2_147_483_648L, "2.1 GB"))) {
            assertThat(HumanBytes.format((Long) c.get(0))).as("%s", c.get(0)).isEqualTo(c.get(1));
        }
    }

    @Test
    void statusWithoutAFileIsABadArgument() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = KeelUtlMain.run(new String[] {"snapshot", "status"}, System.out, new java.io.PrintStream(err, true));
        assertThat(code).isEqualTo(KeelUtlMain.EXIT_BAD_ARGS);
        assertThat(err.toString()).isEqualTo("Error: snapshot status requires exactly one argument\n");
    }
}
