package io.keel.server.watch;

/**
 * Tuning of the {@link WatchHub}. Immutable value; thread-safe.
 *
 * @param progressNotifyIntervalMillis period of progress notifications to idle watchers that
 *                                     asked for them (etcd's --experimental-watch-progress-notify-interval, 10m)
 * @param syncIntervalMillis           how often watchers behind are caught up from the store (etcd: 100ms)
 * @param maxRevisionsPerRead          revisions read from the store per catch-up batch (etcd's watchBatchMaxRevs)
 * @param maxEventsPerRead             events read from the store at once (whole revisions are kept together)
 * @param maxWatchersPerSync           unsynced watchers caught up per pass (etcd's maxWatchersPerSync)
 * @param commitQueueBatches           committed revisions buffered between the apply thread and the hub;
 *                                     past it the hub reads the store instead
 * @param commandQueueCapacity         create/cancel/progress requests buffered for the hub
 * @param maxResponseBytes             size above which a fragmenting watcher's response is split
 */
public record WatchHubConfig(long progressNotifyIntervalMillis, long syncIntervalMillis, int maxRevisionsPerRead,
                             int maxEventsPerRead, int maxWatchersPerSync, int commitQueueBatches,
                             int commandQueueCapacity, int maxResponseBytes) {
    /** etcd's minimum progress interval. */
    public static final long MIN_PROGRESS_NOTIFY_INTERVAL_MILLIS = 100;

    public static WatchHubConfig defaults() {
        return new WatchHubConfig(10 * 60 * 1000L, 100, 1000, 10_000, 512, 4096, 100_000,
                (int) (1.5 * 1024 * 1024) + 512 * 1024);
    }

    /** etcd raises an interval below 100ms to 100ms; zero keeps the default. */
    public WatchHubConfig withProgressNotifyIntervalMillis(long millis) {
        if (millis <= 0) {
            return this;
        }
        return new WatchHubConfig(Math.max(MIN_PROGRESS_NOTIFY_INTERVAL_MILLIS, millis), syncIntervalMillis,
                maxRevisionsPerRead, maxEventsPerRead, maxWatchersPerSync, commitQueueBatches, commandQueueCapacity,
                maxResponseBytes);
    }

    /** etcd fragments above max-request-bytes plus gRPC overhead. */
    public WatchHubConfig withMaxRequestBytes(long maxRequestBytes) {
        return new WatchHubConfig(progressNotifyIntervalMillis, syncIntervalMillis, maxRevisionsPerRead,
                maxEventsPerRead, maxWatchersPerSync, commitQueueBatches, commandQueueCapacity,
                (int) Math.min(Integer.MAX_VALUE, maxRequestBytes + 512 * 1024));
    }

    public WatchHubConfig withLimits(int maxRevisionsPerRead, int maxEventsPerRead, int commitQueueBatches) {
        return new WatchHubConfig(progressNotifyIntervalMillis, syncIntervalMillis, maxRevisionsPerRead,
                maxEventsPerRead, maxWatchersPerSync, commitQueueBatches, commandQueueCapacity, maxResponseBytes);
    }

    public WatchHubConfig validate() {
        if (progressNotifyIntervalMillis <= 0 || syncIntervalMillis <= 0 || maxRevisionsPerRead <= 0
                || maxEventsPerRead <= 0 || maxWatchersPerSync <= 0 || commitQueueBatches <= 0
                || commandQueueCapacity <= 0 || maxResponseBytes <= 0) {
            throw new IllegalArgumentException("every watch hub setting must be > 0: " + this);
        }
        return this;
    }
}
