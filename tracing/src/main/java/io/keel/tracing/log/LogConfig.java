package io.keel.tracing.log;

import java.util.List;

/**
 * Logging configuration, from etcd's flags: {@code --log-level}, {@code --log-outputs} and
 * {@code --enable-log-rotation} (the size and backup count stand in for the {@code maxsize} and
 * {@code maxbackups} fields of etcd's {@code --log-rotation-config-json}).
 *
 * <p>Owner: the server's command line builds one and hands it to {@link KeelLogging#configure}.
 * Thread-safety: immutable record.
 *
 * @param level               the lowest level written
 * @param outputs             {@code stderr}, {@code stdout}, {@code default} (stderr) or file paths
 * @param rotationEnabled     whether file outputs rotate by size
 * @param rotationMaxSizeBytes a file output rotates before a line would take it past this size
 * @param rotationMaxBackups  rotated files kept beside the active one ({@code path.1} is newest)
 */
public record LogConfig(
        LogLevel level,
        List<String> outputs,
        boolean rotationEnabled,
        long rotationMaxSizeBytes,
        int rotationMaxBackups) {

    /** etcd's default {@code maxsize} of 100 MB. */
    public static final long DEFAULT_ROTATION_MAX_SIZE_BYTES = 100L * 1024 * 1024;
    public static final int DEFAULT_ROTATION_MAX_BACKUPS = 10;
    /** Bound on kept backups: rotation renames every backup, so the count must stay small. */
    public static final int MAX_ROTATION_BACKUPS = 100;

    public LogConfig {
        outputs = outputs == null ? null : List.copyOf(outputs);
    }

    /** etcd's defaults: info to stderr, no rotation. */
    public static LogConfig defaults() {
        return new LogConfig(LogLevel.INFO, List.of("default"), false,
                DEFAULT_ROTATION_MAX_SIZE_BYTES, DEFAULT_ROTATION_MAX_BACKUPS);
    }

    /** Returns this config with a different level. */
    public LogConfig withLevel(LogLevel newLevel) {
        return new LogConfig(newLevel, outputs, rotationEnabled, rotationMaxSizeBytes, rotationMaxBackups);
    }

    /** Returns this config with different outputs. */
    public LogConfig withOutputs(List<String> newOutputs) {
        return new LogConfig(level, newOutputs, rotationEnabled, rotationMaxSizeBytes, rotationMaxBackups);
    }

    /** Returns this config with size-based rotation of file outputs switched on. */
    public LogConfig withRotation(long maxSizeBytes, int maxBackups) {
        return new LogConfig(level, outputs, true, maxSizeBytes, maxBackups);
    }

    /** Checks the values; returns this for chaining. */
    public LogConfig validate() {
        if (level == null) {
            throw new IllegalArgumentException("--log-level must be set");
        }
        if (outputs == null || outputs.isEmpty()) {
            throw new IllegalArgumentException("--log-outputs must name at least one output");
        }
        for (String output : outputs) {
            if (output == null || output.isBlank()) {
                throw new IllegalArgumentException("--log-outputs has an empty entry");
            }
        }
        long distinct = outputs.stream().map(o -> o.equals("default") ? "stderr" : o).distinct().count();
        if (distinct < outputs.size()) {
            // Two writers on one destination would print every line twice (or interleave a file).
            throw new IllegalArgumentException("--log-outputs names an output more than once: " + outputs);
        }
        if (rotationMaxSizeBytes <= 0) {
            throw new IllegalArgumentException("log rotation max size must be positive: " + rotationMaxSizeBytes);
        }
        if (rotationMaxBackups < 0 || rotationMaxBackups > MAX_ROTATION_BACKUPS) {
            throw new IllegalArgumentException("log rotation max backups must be in [0, "
                    + MAX_ROTATION_BACKUPS + "]: " + rotationMaxBackups);
        }
        return this;
    }
}
