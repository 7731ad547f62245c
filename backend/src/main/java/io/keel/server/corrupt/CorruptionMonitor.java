package io.keel.server.corrupt;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link CorruptionChecker#periodicCheck()} every {@code --experimental-corrupt-check-time}
 * on a thread of its own (a check blocks on hashing and on the peers). A failed pass is logged
 * and the next one still runs. Owned by the member, which closes it; thread-safe.
 */
public final class CorruptionMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CorruptionMonitor.class);

    private final ScheduledExecutorService thread;

    private CorruptionMonitor(CorruptionChecker checker, Duration period) {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keel-corrupt-check");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, period.toMillis());
        thread.scheduleWithFixedDelay(() -> {
            try {
                checker.periodicCheck();
            } catch (RuntimeException e) {
                LOG.atWarn().addKeyValue("error", e.toString()).log("failed to check hash KV");
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Starts the periodic check; etcd logs the interval it enables. */
    public static CorruptionMonitor start(CorruptionChecker checker, Duration period) {
        LOG.atInfo().addKeyValue("interval", period.toString()).log("enabled corruption checking");
        return new CorruptionMonitor(checker, period);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
