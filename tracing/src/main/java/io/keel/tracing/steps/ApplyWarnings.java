package io.keel.tracing.steps;

import io.keel.tracing.log.EtcdDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * etcd's apply-time warnings: {@code "apply request took too long"} with {@code took},
 * {@code expected-duration}, {@code prefix}, {@code request}, {@code response} and, when the apply
 * failed, {@code error}; and {@code "failed to apply request"}.
 *
 * <p>Owner: the server's apply loop. Thread-safety: thread-safe.
 */
public final class ApplyWarnings {
    private final long expectedNanos;
    private final StepClock clock;
    private final Logger logger;

    public ApplyWarnings(StepTraceConfig config) {
        this(config, StepClock.system(), LoggerFactory.getLogger(ApplyWarnings.class));
    }

    public ApplyWarnings(StepTraceConfig config, StepClock clock, Logger logger) {
        this.expectedNanos = config.validate().warnApplyDuration().toNanos();
        this.clock = clock;
        this.logger = logger;
    }

    /** The clock's now, to pass back as {@code startNanos}. */
    public long now() {
        return clock.nanoTime();
    }

    /**
     * Warns when the apply that began at {@code startNanos} took longer than expected.
     *
     * @param prefix   etcd's prefix, e.g. {@code "read-only range "} or empty
     * @param request  the request as text (etcd prints the protobuf's compact text form)
     * @param response the response summary, e.g. {@code "size:4"}, or empty
     * @param error    the error message, or null when the apply succeeded
     * @return true when it warned
     */
    public boolean warnIfLong(long startNanos, String prefix, String request, String response, String error) {
        long took = clock.nanoTime() - startNanos;
        if (took <= expectedNanos || !logger.isWarnEnabled()) {
            return took > expectedNanos;
        }
        LoggingEventBuilder line = logger.atWarn()
                .addKeyValue("took", EtcdDuration.format(took))
                .addKeyValue("expected-duration", EtcdDuration.format(expectedNanos))
                .addKeyValue("prefix", prefix)
                .addKeyValue("request", request)
                .addKeyValue("response", response);
        if (error != null) {
            line = line.addKeyValue("error", error);
        }
        line.log("apply request took too long");
        return true;
    }

    /** True when an apply that began at {@code startNanos} has taken longer than expected. */
    public boolean isLong(long startNanos) {
        return clock.nanoTime() - startNanos > expectedNanos;
    }

    /**
     * {@link #warnIfLong(long, String, String, String, String)} that renders the request text only
     * when it warns, so the fast path pays no formatting.
     */
    public boolean warnIfLong(long startNanos, String prefix, java.util.function.Supplier<String> request,
                              java.util.function.Supplier<String> response, String error) {
        if (!isLong(startNanos)) {
            return false;
        }
        return warnIfLong(startNanos, prefix, request.get(), response.get(), error);
    }

    /** Warns that an apply failed, with how long it took. */
    public void failed(long startNanos, String request, String response, String error) {
        logger.atWarn()
                .addKeyValue("took", EtcdDuration.format(clock.nanoTime() - startNanos))
                .addKeyValue("request", request)
                .addKeyValue("response", response)
                .addKeyValue("error", error)
                .log("failed to apply request");
    }
}
