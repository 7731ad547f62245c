package io.keel.bench;

import com.google.protobuf.ByteString;
import io.keel.bench.cli.BenchArgs;
import io.keel.bench.report.LatencyRecorder;
import io.keel.bench.report.Summary;
import io.keel.bench.report.TextReport;
import io.keel.bench.workload.Keys;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure parts of keel-bench: percentiles, the JSON line, keys as etcd's benchmark makes them, flags. */
class ReportAndKeysTest {
    @Test
    void percentilesAreNearestRankOverEverySample() {
        LatencyRecorder r = new LatencyRecorder(1000);
        for (int i = 1000; i >= 1; i--) {
            r.record(i * 1_000_000L); // 1..1000 ms, recorded out of order
        }
        Summary s = Summary.of("put", r, 2_000_000_000L);

        assertThat(s.percentile(50)).isEqualTo(500.0);
        assertThat(s.percentile(99)).isEqualTo(990.0);
        assertThat(s.percentile(99.9)).isEqualTo(999.0);
        assertThat(s.min()).isEqualTo(1.0);
        assertThat(s.max()).isEqualTo(1000.0);
        assertThat(s.perSecond()).isEqualTo(500.0);
    }

    @Test
    void theJsonLineParsesAndCarriesErrorsAndExtraFields() {
        LatencyRecorder r = new LatencyRecorder(2);
        r.record(3_000_000L);
        r.error(new RuntimeException("etcdserver: too many requests"));
        String line = TextReport.json(Summary.of("range", r, 1_000_000_000L), Map.of("key", TextReport.quote("a\"b")));

        assertThat(line).doesNotContain("\n");
        JsonObject json = new JsonObject(line);
        assertThat(json.getLong("ok")).isEqualTo(1);
        assertThat(json.getLong("errors")).isEqualTo(1);
        assertThat(json.getString("key")).isEqualTo("a\"b");
        assertThat(json.getJsonObject("latency_ms").getDouble("max")).isEqualTo(3.0);
        assertThat(TextReport.text(Summary.of("range", r, 1))).contains("[1]\tetcdserver: too many requests");
    }

    @Test
    void keysAreGoZigZagVarintsInAZeroFilledBufferAsInEtcdsBenchmark() {
        assertThat(Keys.key(4, 0)).isEqualTo(bytes(0, 0, 0, 0));
        assertThat(Keys.key(4, 1)).isEqualTo(bytes(2, 0, 0, 0));
        assertThat(Keys.key(4, -1)).isEqualTo(bytes(1, 0, 0, 0));
        assertThat(Keys.key(4, 64)).isEqualTo(bytes(0x80, 1, 0, 0));
        assertThatThrownBy(() -> Keys.key(1, 64)).hasMessageContaining("--key-size");
    }

    @Test
    void prefixEndIsEtcdsGetPrefixRangeEnd() {
        assertThat(Keys.prefixEnd(ByteString.copyFromUtf8("a/"))).isEqualTo(ByteString.copyFromUtf8("a0"));
        assertThat(Keys.prefixEnd(bytes(0x61, 0xff))).isEqualTo(bytes(0x62));
        assertThat(Keys.prefixEnd(bytes(0xff))).isEqualTo(bytes(0));
    }

    @Test
    void flagsReadLikeCobraAndAnUnknownFlagIsAnError() {
        BenchArgs a = BenchArgs.parse("range", "--consistency=s", "foo", "--prefix", "--total", "5", "bar");
        assertThat(a.command()).isEqualTo("range");
        assertThat(a.string("consistency", "l")).isEqualTo("s");
        assertThat(a.bool("prefix")).isTrue();
        assertThat(a.integer("total", 1)).isEqualTo(5);
        assertThat(a.positional()).containsExactly("foo", "bar");
        a.rejectUnknown();

        BenchArgs typo = BenchArgs.parse("put", "--totl", "5");
        typo.integer("total", 1);
        assertThatThrownBy(typo::rejectUnknown).hasMessage("unknown flag: --totl");
    }

    private static ByteString bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return ByteString.copyFrom(out);
    }
}
