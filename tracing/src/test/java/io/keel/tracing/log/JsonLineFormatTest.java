package io.keel.tracing.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.keel.tracing.steps.StepTracer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class JsonLineFormatTest {
    private static final Pattern TS = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

    @Test
    void writesLevelTsCallerMsgThenFieldsInOrder() {
        CapturedLog log = new CapturedLog(LogLevel.INFO);
        log.epochMillis.set(Instant.parse("2026-11-21T14:34:25.606Z").toEpochMilli());
        Logger logger = log.logger(StepTracer.class);

        logger.atInfo()
                .addKeyValue("data-dir", "/tmp/obs-etcd")
                .addKeyValue("max-cpu-set", 2)
                .addKeyValue("force-new-cluster", false)
                .addKeyValue("listen-peer-urls", List.of("http://127.0.0.1:42380"))
                .addKeyValue("took", Duration.ofNanos(245_488))
                .log("starting an etcd server");

        assertThat(log.text()).isEqualTo("{\"level\":\"info\",\"ts\":\"2026-11-21T14:34:25.606Z\","
                + "\"caller\":\"steps/StepTracer.java\",\"msg\":\"starting an etcd server\","
                + "\"data-dir\":\"/tmp/obs-etcd\",\"max-cpu-set\":2,\"force-new-cluster\":false,"
                + "\"listen-peer-urls\":[\"http://127.0.0.1:42380\"],\"took\":\"245.488µs\"}\n");
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        CapturedLog log = new CapturedLog(LogLevel.DEBUG);
        log.logger(JsonLineFormatTest.class).atDebug()
                .addKeyValue("request", "Val:\"{\\\"name\\\":1}\"\n\u0001")
                .log("a \"quoted\" msg");

        JsonObject line = log.lines().get(0);
        assertThat(line.get("level").getAsString()).isEqualTo("debug");
        assertThat(line.get("msg").getAsString()).isEqualTo("a \"quoted\" msg");
        assertThat(line.get("request").getAsString()).isEqualTo("Val:\"{\\\"name\\\":1}\"\n\u0001");
        assertThat(log.text()).contains("\\u0001").doesNotContain("\u0001");
    }

    @Test
    void dropsEventsBelowTheLevelAndMapsSlf4jLevelsToEtcds() {
        CapturedLog log = new CapturedLog(LogLevel.WARN);
        Logger logger = log.logger(JsonLineFormatTest.class);
        logger.trace("t");
        logger.debug("d");
        logger.info("i {}", 1);
        logger.warn("w {}", 2);
        logger.error("e", new IllegalStateException("boom"));

        List<JsonObject> lines = log.lines();
        assertThat(lines).extracting(l -> l.get("level").getAsString()).containsExactly("warn", "error");
        assertThat(lines.get(0).get("msg").getAsString()).isEqualTo("w 2");
        assertThat(lines.get(1).get("error").getAsString()).isEqualTo("boom");
        assertThat(lines.get(1).get("stacktrace").getAsString()).startsWith("java.lang.IllegalStateException: boom");
        assertThat(logger.isInfoEnabled()).isFalse();
        assertThat(logger.isWarnEnabled()).isTrue();
    }

    @Test
    void derivesCallerFromTheLoggerNameOnce() {
        assertThat(KeelLogger.callerOf("io.keel.storage.wal.LogWriter")).isEqualTo("wal/LogWriter.java");
        assertThat(KeelLogger.callerOf("Plain")).isEqualTo("Plain");
    }

    @Test
    void matchesTheKeysAndTsFormatOfEtcdsStartupLog() throws Exception {
        List<String> reference = ReferenceSamples.lines("etcd-3.4-startup-log-sample.jsonl");
        Set<String> referenceLevels = new LinkedHashSet<>();
        for (String text : reference) {
            JsonObject line = JsonParser.parseString(text).getAsJsonObject();
            assertThat(CapturedLog.keys(line).subList(0, 4)).containsExactly("level", "ts", "caller", "msg");
            assertThat(line.get("ts").getAsString()).matches(TS);
            referenceLevels.add(line.get("level").getAsString());
        }

        CapturedLog log = new CapturedLog(LogLevel.DEBUG);
        log.epochMillis.set(System.currentTimeMillis());
        Logger logger = log.logger(JsonLineFormatTest.class);
        logger.atInfo().addKeyValue("data-dir", "/tmp/keel").addKeyValue("dir-type", "member")
                .log("server has been already initialized");
        logger.warn("simple token is not cryptographically signed");

        List<String> ourLevels = new ArrayList<>();
        for (JsonObject line : log.lines()) {
            assertThat(CapturedLog.keys(line).subList(0, 4)).containsExactly("level", "ts", "caller", "msg");
            assertThat(line.get("ts").getAsString()).matches(TS);
            assertThat(line.get("caller").getAsString()).matches("[a-z]+/\\w+\\.java");
            ourLevels.add(line.get("level").getAsString());
        }
        assertThat(referenceLevels).containsAll(ourLevels);
        JsonObject first = JsonParser.parseString(reference.get(0)).getAsJsonObject();
        assertThat(CapturedLog.keys(log.lines().get(0))).isEqualTo(CapturedLog.keys(first));
    }
}
