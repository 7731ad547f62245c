package io.keel.tracing.steps;

import java.util.List;

/**
 * One slow request as logged, kept for the admin console's slow-request page.
 *
 * <p>Owner: {@link SlowRequestBuffer}. Thread-safety: immutable record.
 *
 * @param traceNumber      the {@code N} of {@code trace[N]} in the log line
 * @param operation        {@code range}, {@code put}, ...
 * @param detail           the trace's fields, {@code {k:v; ...}}
 * @param durationNanos    start to end
 * @param startEpochMillis wall-clock start
 * @param endEpochMillis   wall-clock end
 * @param steps            the printed steps
 * @param traceId          the distributed (OpenTelemetry) trace id, or empty when not traced
 */
public record SlowRequest(
        int traceNumber,
        String operation,
        String detail,
        long durationNanos,
        long startEpochMillis,
        long endEpochMillis,
        List<String> steps,
        String traceId) {

    public SlowRequest {
        steps = List.copyOf(steps);
    }
}
