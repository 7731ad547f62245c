package io.keel.tracing.steps;

import java.time.Duration;

/**
 * Thresholds of request step traces and apply warnings.
 *
 * <p>Owner: the server's configuration. Thread-safety: immutable record.
 *
 * @param slowRequestThreshold a trace longer than this is logged (etcd: 100ms)
 * @param warnApplyDuration    an apply longer than this logs "apply request took too long"
 *                             (etcd's {@code --experimental-warning-apply-duration}, 100ms)
 * @param slowRequestsKept     capacity of the slow-request buffer read by the console
 */
public record StepTraceConfig(Duration slowRequestThreshold, Duration warnApplyDuration, int slowRequestsKept) {
    public static final Duration DEFAULT_THRESHOLD = Duration.ofMillis(100);
    public static final int DEFAULT_SLOW_REQUESTS_KEPT = 256;
    /** Upper bound on the buffer, so a flag typo cannot hold the heap. */
    public static final int MAX_SLOW_REQUESTS_KEPT = 100_000;

    public static StepTraceConfig defaults() {
        return new StepTraceConfig(DEFAULT_THRESHOLD, DEFAULT_THRESHOLD, DEFAULT_SLOW_REQUESTS_KEPT);
    }

    /** Checks the values; returns this for chaining. */
    public StepTraceConfig validate() {
        if (slowRequestThreshold == null || slowRequestThreshold.isNegative() || slowRequestThreshold.isZero()) {
            throw new IllegalArgumentException("slow request threshold must be positive: " + slowRequestThreshold);
        }
        if (warnApplyDuration == null || warnApplyDuration.isNegative() || warnApplyDuration.isZero()) {
            throw new IllegalArgumentException("warning apply duration must be positive: " + warnApplyDuration);
        }
        if (slowRequestsKept <= 0 || slowRequestsKept > MAX_SLOW_REQUESTS_KEPT) {
            throw new IllegalArgumentException("slow requests kept must be in [1, " + MAX_SLOW_REQUESTS_KEPT
                    + "]: " + slowRequestsKept);
        }
        return this;
    }
}
