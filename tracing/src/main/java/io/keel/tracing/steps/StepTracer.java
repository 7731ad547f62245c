package io.keel.tracing.steps;

import io.keel.tracing.log.EtcdDuration;
import io.keel.tracing.log.EtcdTimestamp;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts request step traces and logs the slow ones as etcd does: one info line
 * {@code "msg":"trace[N] range"} with {@code detail}, {@code duration}, {@code start}, {@code end},
 * {@code steps} and {@code step_count}, where only steps longer than
 * {@code threshold / (steps + 1)} are printed. Every logged trace is also kept, with its
 * distributed trace id, in a bounded {@link SlowRequestBuffer}.
 *
 * <p>Owner: the server holds one for its lifetime. Thread-safety: thread-safe (the traces it
 * starts are not; see {@link Trace}).
 */
public final class StepTracer {
    private final StepTraceConfig config;
    private final StepClock clock;
    private final Logger logger;
    private final IntSupplier traceNumbers;
    private final SlowRequestBuffer slowRequests;

    /** A tracer on the system clock, logging through SLF4J. */
    public StepTracer(StepTraceConfig config) {
        this(config, StepClock.system(), LoggerFactory.getLogger(StepTracer.class),
                () -> ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE));
    }

    /**
     * @param traceNumbers source of the {@code N} in {@code trace[N]} (etcd: a random non-negative int)
     */
    public StepTracer(StepTraceConfig config, StepClock clock, Logger logger, IntSupplier traceNumbers) {
        this.config = config.validate();
        this.clock = clock;
        this.logger = logger;
        this.traceNumbers = traceNumbers;
        this.slowRequests = new SlowRequestBuffer(config.slowRequestsKept());
    }

    /** Starts the trace of one request now. */
    public Trace start(String operation, Field... fields) {
        return new Trace(operation, clock, fields);
    }

    /**
     * Ends {@code trace} now and, when it took longer than the threshold, logs it and keeps it.
     *
     * @return true when it was slow
     */
    public boolean logIfLong(Trace trace) {
        long endNanos = clock.nanoTime();
        long thresholdNanos = config.slowRequestThreshold().toNanos();
        if (endNanos - trace.startNanos() <= thresholdNanos) {
            return false;
        }
        log(trace, endNanos, thresholdNanos / (trace.stepCount() + 1));
        return true;
    }

    /** Ends {@code trace} now and logs it with all its steps, however long it took. */
    public SlowRequest logAllSteps(Trace trace) {
        return log(trace, clock.nanoTime(), 0);
    }

    /** The slow requests kept, oldest first, as an immutable snapshot. */
    public List<SlowRequest> slowRequests() {
        return slowRequests.snapshot();
    }

    private SlowRequest log(Trace trace, long endNanos, long stepThresholdNanos) {
        int number = traceNumbers.getAsInt();
        long durationNanos = endNanos - trace.startNanos();
        long endEpochMillis = trace.startEpochMillis() + durationNanos / 1_000_000L;
        List<String> steps = trace.renderSteps(stepThresholdNanos, number);
        SlowRequest slow = new SlowRequest(number, trace.operation(), trace.detail(), durationNanos,
                trace.startEpochMillis(), endEpochMillis, steps, trace.traceId());
        if (logger.isInfoEnabled()) {
            var line = logger.atInfo()
                    .addKeyValue("detail", slow.detail())
                    .addKeyValue("duration", EtcdDuration.format(durationNanos))
                    .addKeyValue("start", EtcdTimestamp.format(slow.startEpochMillis()))
                    .addKeyValue("end", EtcdTimestamp.format(endEpochMillis))
                    .addKeyValue("steps", steps)
                    .addKeyValue("step_count", steps.size());
            if (!slow.traceId().isEmpty()) {
                line = line.addKeyValue("trace-id", slow.traceId());
            }
            line.log("trace[" + number + "] " + trace.operation());
        }
        slowRequests.add(slow);
        return slow;
    }
}
