package io.keel.tracing.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.keel.tracing.log.CapturedLog;
import io.keel.tracing.log.LogLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StepTracerTest {
    private static final long START = Instant.parse("2026-11-21T14:34:28.000Z").toEpochMilli();

    private final ManualClock clock = new ManualClock(START);
    private final CapturedLog log = new CapturedLog(LogLevel.INFO);
    private final AtomicInteger numbers = new AtomicInteger(1908164306);

    private StepTracer tracer(Duration threshold, int kept) {
        return new StepTracer(new StepTraceConfig(threshold, Duration.ofMillis(100), kept), clock,
                log.logger(StepTracer.class), numbers::getAndIncrement);
    }

    @Test
    void aTraceUnderTheThresholdLogsNothingAndIsNotKept() {
        StepTracer tracer = tracer(StepTraceConfig.DEFAULT_THRESHOLD, 8);
        Trace trace = tracer.start("range", Field.of("range_begin", "foo"));
        clock.advance(Duration.ofMillis(60));
        trace.step("agreement among raft nodes before linearized reading");
        clock.advance(Duration.ofMillis(40)); // exactly 100ms: not over

        assertThat(tracer.logIfLong(trace)).isFalse();
        assertThat(log.text()).isEmpty();
        assertThat(tracer.slowRequests()).isEmpty();
    }

    @Test
    void aSlowTraceLogsOneLineInEtcdsShapeWithOnlyTheLongSteps() {
        StepTracer tracer = tracer(StepTraceConfig.DEFAULT_THRESHOLD, 8);
        Trace trace = tracer.start("range", Field.of("range_begin", "/registry/pods"), Field.of("range_end", ""));
        clock.advance(Duration.ofNanos(103_520_000));
        trace.step("agreement among raft nodes before linearized reading");
        clock.advance(Duration.ofMillis(1));
        trace.step("get authentication metadata"); // 1ms < 100ms / 3 steps+1: not printed
        clock.advance(Duration.ofNanos(112_957));
        trace.addField(Field.of("response_count", 1), Field.of("response_revision", 42));
        trace.step("range keys from in-memory index tree");
        trace.linkTraceId("4bf92f3577b34da6a3ce929d0e0e4736");

        assertThat(tracer.logIfLong(trace)).isTrue();

        List<JsonObject> lines = log.lines();
        assertThat(lines).hasSize(1);
        JsonObject line = lines.get(0);
        assertThat(CapturedLog.keys(line)).containsExactly("level", "ts", "caller", "msg", "detail", "duration",
                "start", "end", "steps", "step_count", "trace-id");
        assertThat(line.get("level").getAsString()).isEqualTo("info");
        assertThat(line.get("msg").getAsString()).isEqualTo("trace[1908164306] range");
        assertThat(line.get("detail").getAsString())
                .isEqualTo("{range_begin:/registry/pods; range_end:; response_count:1; response_revision:42; }");
        assertThat(line.get("duration").getAsString()).isEqualTo("104.632957ms");
        assertThat(line.get("start").getAsString()).isEqualTo("2026-11-21T14:34:28.000Z");
        assertThat(line.get("end").getAsString()).isEqualTo("2026-11-21T14:34:28.104Z");
        JsonArray steps = line.getAsJsonArray("steps");
        assertThat(steps).hasSize(1);
        assertThat(steps.get(0).getAsString()).isEqualTo(
                "trace[1908164306] 'agreement among raft nodes before linearized reading'  (duration: 103.52ms)");
        assertThat(line.get("step_count").getAsInt()).isEqualTo(1);

        SlowRequest kept = tracer.slowRequests().get(0);
        assertThat(kept.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(kept.durationNanos()).isEqualTo(104_632_957L);
        assertThat(kept.operation()).isEqualTo("range");
    }

    @Test
    void subtraceFieldsArePrintedWithEachEnclosedStep() {
        StepTracer tracer = tracer(Duration.ofMillis(10), 8);
        Trace trace = tracer.start("transaction");
        trace.startSubTrace(Field.of("compare", "k1"));
        clock.advance(Duration.ofMillis(20));
        trace.step("check requests", Field.of("n", 1));
        trace.stopSubTrace(Field.of("rev", 7));

        SlowRequest slow = tracer.logAllSteps(trace);
        assertThat(slow.steps()).containsExactly(
                "trace[1908164306] 'check requests' {rev:7; compare:k1; n:1; } (duration: 20ms)");
        assertThat(slow.traceId()).isEmpty();
    }

    @Test
    void stepWithFunctionRecordsOneStepForTheWholeFunction() {
        StepTracer tracer = tracer(Duration.ofMillis(1), 8);
        Trace trace = tracer.start("put");
        trace.stepWithFunction(() -> {
            clock.advance(Duration.ofMillis(5));
            trace.step("inner step is ignored");
        }, "apply");
        assertThat(tracer.logAllSteps(trace).steps()).containsExactly("trace[1908164306] 'apply'  (duration: 5ms)");
    }

    @Test
    void theSlowRequestBufferKeepsOnlyTheNewestAndSnapshotsAreImmutable() {
        StepTracer tracer = tracer(Duration.ofMillis(1), 3);
        for (int i = 0; i < 5; i++) {
            Trace trace = tracer.start("op" + i);
            clock.advance(Duration.ofMillis(2));
            assertThat(tracer.logIfLong(trace)).isTrue();
        }
        List<SlowRequest> snapshot = tracer.slowRequests();
        assertThat(snapshot).extracting(SlowRequest::operation).containsExactly("op2", "op3", "op4");
        assertThatThrownBy(() -> snapshot.remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(log.lines()).hasSize(5);
    }

    @Test
    void stepsBeyondTheBoundAreCountedNotStored() {
        StepTracer tracer = tracer(Duration.ofMillis(1), 3);
        Trace trace = tracer.start("range");
        for (int i = 0; i < Trace.MAX_STEPS + 3; i++) {
            clock.advance(Duration.ofMillis(1));
            trace.step("s" + i);
        }
        List<String> steps = tracer.logAllSteps(trace).steps();
        assertThat(steps).hasSize(Trace.MAX_STEPS + 1);
        assertThat(steps.get(Trace.MAX_STEPS)).isEqualTo("trace[1908164306] 3 more steps not recorded");
    }

    @Test
    void configRejectsNonPositiveThresholdsAndUnboundedBuffers() {
        assertThatThrownBy(() -> new StepTraceConfig(Duration.ZERO, Duration.ofMillis(1), 1).validate())
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> new StepTraceConfig(Duration.ofMillis(1), Duration.ofMillis(1), 0).validate())
                .hasMessageContaining("slow requests kept");
        assertThat(StepTraceConfig.defaults().validate().slowRequestThreshold()).isEqualTo(Duration.ofMillis(100));
    }
}
