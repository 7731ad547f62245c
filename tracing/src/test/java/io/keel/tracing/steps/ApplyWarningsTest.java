package io.keel.tracing.steps;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.keel.tracing.log.CapturedLog;
import io.keel.tracing.log.LogLevel;
import io.keel.tracing.log.ReferenceSamples;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApplyWarningsTest {
    private final ManualClock clock = new ManualClock(0);
    private final CapturedLog log = new CapturedLog(LogLevel.INFO);

    private ApplyWarnings warnings(Duration expected) {
        return new ApplyWarnings(new StepTraceConfig(Duration.ofMillis(100), expected, 8), clock,
                log.logger(ApplyWarnings.class));
    }

    @Test
    void aFastApplyIsNotReported() {
        ApplyWarnings warnings = warnings(Duration.ofMillis(100));
        long start = warnings.now();
        clock.advance(Duration.ofMillis(100));
        assertThat(warnings.warnIfLong(start, "", "put", "size:4", null)).isFalse();
        assertThat(log.text()).isEmpty();
    }

    @Test
    void reproducesEtcdsApplyWarningsFieldForField() throws Exception {
        List<String> reference = ReferenceSamples.lines("etcd-3.4-slow-request-log-sample.jsonl");
        int compared = 0;
        for (String text : reference) {
            JsonObject theirs = JsonParser.parseString(text).getAsJsonObject();
            if (!theirs.get("msg").getAsString().equals("apply request took too long")) {
                continue;
            }
            CapturedLog ours = new CapturedLog(LogLevel.INFO);
            ManualClock c = new ManualClock(0);
            ApplyWarnings warnings = new ApplyWarnings(new StepTraceConfig(Duration.ofMillis(100),
                    Duration.ofNanos(1000), 8), c, ours.logger(ApplyWarnings.class));
            long start = warnings.now();
            c.advance(Duration.ofNanos(nanosOf(theirs.get("took").getAsString())));
            assertThat(warnings.warnIfLong(start, theirs.get("prefix").getAsString(),
                    theirs.get("request").getAsString(), theirs.get("response").getAsString(),
                    theirs.has("error") ? theirs.get("error").getAsString() : null)).isTrue();

            JsonObject mine = ours.lines().get(0);
            assertThat(CapturedLog.keys(mine)).isEqualTo(CapturedLog.keys(theirs));
            for (String key : CapturedLog.keys(theirs)) {
                if (!key.equals("ts") && !key.equals("caller")) {
                    assertThat(mine.get(key)).as(key).isEqualTo(theirs.get(key));
                }
            }
            compared++;
        }
        assertThat(compared).isGreaterThan(5);
    }

    @Test
    void reportsFailedApplies() {
        ApplyWarnings warnings = warnings(Duration.ofMillis(100));
        long start = warnings.now();
        clock.advance(Duration.ofNanos(735_713));
        warnings.failed(start, "compaction:<revision:5 > ", "", "mvcc: required revision has been compacted");
        JsonObject line = log.lines().get(0);
        assertThat(CapturedLog.keys(line)).containsExactly("level", "ts", "caller", "msg", "took", "request",
                "response", "error");
        assertThat(line.get("took").getAsString()).isEqualTo("735.713µs");
        assertThat(line.get("level").getAsString()).isEqualTo("warn");
    }

    /** Parses the µs values in the reference ("757.223µs"). */
    private static long nanosOf(String took) {
        assertThat(took).endsWith("µs");
        return Math.round(Double.parseDouble(took.substring(0, took.length() - 2)) * 1000);
    }
}
