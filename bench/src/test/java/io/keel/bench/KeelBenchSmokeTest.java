package io.keel.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A smoke run of keel-bench (a few hundred requests) against a real single-member Keel: the tool
 * speaks the etcd API to Keel and emits its JSON line. Measures nothing; never asserts on time.
 */
class KeelBenchSmokeTest {
    private static final int READY_ATTEMPTS = 60;

    @TempDir
    static Path dir;
    private static KeelMemberProcess member;

    @BeforeAll
    static void start() throws Exception {
        member = new KeelMemberProcess(dir.resolve("bench1")).start();
        // Ready once a put is acknowledged (a leader is elected); each attempt is bounded by the
        // member's own request timeout, plus the tool's.
        Run last = null;
        for (int i = 0; i < READY_ATTEMPTS; i++) {
            last = bench("put", "--total", "1", "--timeout", "10s");
            if (last.code == 0) {
                return;
            }
        }
        throw new AssertionError("no put was acknowledged: " + last.output + "\n" + member.output());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (member != null) {
            member.close();
        }
    }

    @Test
    void putOfAFewHundredKeysOverSeveralConnectionsReportsEveryRequestInItsJsonLine() throws Exception {
        Run r = bench("put", "--total", "300", "--clients", "10", "--conns", "3", "--key-size", "16",
                "--val-size", "256", "--sequential-keys", "--key-space-size", "100");

        assertThat(r.code).as(r.output).isZero();
        JsonObject json = r.json();
        assertThat(json.getString("bench")).isEqualTo("put");
        assertThat(json.getLong("ok")).isEqualTo(300);
        assertThat(json.getLong("errors")).isZero();
        assertThat(json.getBoolean("complete")).isTrue();
        assertLatencyShape(json.getJsonObject("latency_ms"));
        assertThat(r.output).contains("Response time histogram", "Latency distribution");
    }

    @Test
    void linearizableAndSerializableRangesOfAPrefixAllSucceed() throws Exception {
        for (String consistency : new String[] {"l", "s"}) {
            Run r = bench("range", "smoke/", "--prefix", "--consistency", consistency, "--total", "200",
                    "--clients", "8", "--conns", "2");

            assertThat(r.code).as(r.output).isZero();
            assertThat(r.json().getLong("ok")).isEqualTo(200);
            assertThat(r.json().getString("consistency")).isEqualTo(consistency);
        }
    }

    @Test
    void txnPutReportsEveryTransaction() throws Exception {
        Run r = bench("txn-put", "--total", "100", "--clients", "4", "--txn-ops", "2", "--key-space-size", "10");

        assertThat(r.code).as(r.output).isZero();
        assertThat(r.json().getLong("ok")).isEqualTo(100);
    }

    private static void assertLatencyShape(JsonObject lat) {
        double min = lat.getDouble("min");
        assertThat(min).isPositive();
        assertThat(lat.getDouble("p50")).isBetween(min, lat.getDouble("p99"));
        assertThat(lat.getDouble("p99")).isLessThanOrEqualTo(lat.getDouble("p999"));
        assertThat(lat.getDouble("p999")).isLessThanOrEqualTo(lat.getDouble("max"));
    }

    private static Run bench(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--endpoints";
        all[args.length + 1] = member.endpoint();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = KeelBench.run(new PrintStream(buf, true, StandardCharsets.UTF_8), all);
        return new Run(code, buf.toString(StandardCharsets.UTF_8));
    }

    private record Run(int code, String output) {
        /** The last line of the output, which must be one JSON object. */
        JsonObject json() {
            String[] lines = output.strip().split("\n");
            return new JsonObject(lines[lines.length - 1]);
        }
    }
}
