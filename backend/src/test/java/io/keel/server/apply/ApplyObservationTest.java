package io.keel.server.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.etcdserverpb.PutRequest;
import io.keel.api.internal.v1.InternalRequest;
import io.keel.server.observe.EntryTraces;
import io.keel.tracing.span.NoopRequestTracer;
import io.keel.tracing.steps.ApplyWarnings;
import io.keel.tracing.steps.StepClock;
import io.keel.tracing.steps.StepTraceConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

/** An apply over the warning threshold is counted (etcd's slow_apply_total) beside its warning. */
class ApplyObservationTest {
    private final AtomicLong nanos = new AtomicLong();
    private final StepClock clock = new StepClock() {
        @Override
        public long nanoTime() {
            return nanos.get();
        }

        @Override
        public long epochMillis() {
            return 0;
        }
    };

    @Test
    void onlyAppliesOverTheWarningDurationCountAsSlow() {
        ApplyWarnings warnings = new ApplyWarnings(new StepTraceConfig(Duration.ofMillis(100), Duration.ofMillis(100), 8),
                clock, NOPLogger.NOP_LOGGER);
        AtomicInteger slow = new AtomicInteger();
        ApplyObservation o = new ApplyObservation(new EntryTraces(NoopRequestTracer.INSTANCE), warnings)
                .onSlowApply(slow::incrementAndGet);
        InternalRequest put = InternalRequest.newBuilder().setId(1).setPut(PutRequest.getDefaultInstance()).build();

        ApplyObservation.Applying slowOne = o.begin(put);
        nanos.addAndGet(Duration.ofMillis(150).toNanos());
        o.end(slowOne, put, ApplyResult.ok(null, 2));
        ApplyObservation.Applying quickOne = o.begin(put);
        nanos.addAndGet(Duration.ofMillis(50).toNanos());
        o.end(quickOne, put, ApplyResult.ok(null, 3));

        assertThat(slow.get()).isEqualTo(1);
    }
}
