package io.keel.server.config;

import io.keel.tracing.log.LogConfig;
import io.keel.tracing.log.LogLevel;
import io.keel.tracing.otel.TracingConfig;
import io.keel.tracing.steps.StepTraceConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The logging, step-trace and distributed-tracing settings of a member, read from etcd's flags
 * ({@code --log-level}, {@code --log-outputs}, {@code --enable-log-rotation},
 * {@code --log-rotation-config-json}, {@code --experimental-warning-apply-duration}, the
 * {@code --distributed-tracing-*} flags, and Keel's {@code --slow-request-threshold} and
 * {@code --console-jaeger-url}). Kept beside {@link ServerConfig} rather than in it, so the
 * server's own record stays about the server.
 *
 * <p>Owner: {@code KeelMain} builds one at startup. Thread-safety: immutable record.
 */
public record ObservabilityConfig(LogConfig log, TracingConfig tracing, StepTraceConfig steps,
                                  String consoleJaegerUrl) {
    private static final Pattern MAX_SIZE = Pattern.compile("\"maxsize\"\\s*:\\s*(\\d+)");
    private static final Pattern MAX_BACKUPS = Pattern.compile("\"maxbackups\"\\s*:\\s*(\\d+)");
    private static final long BYTES_PER_MB = 1024L * 1024;

    /** etcd's defaults: info to stderr, tracing off, 100 ms thresholds. */
    public static ObservabilityConfig defaults() {
        return new ObservabilityConfig(LogConfig.defaults(), TracingConfig.defaults(), StepTraceConfig.defaults(),
                Flag.CONSOLE_JAEGER_URL.defaultValue());
    }

    /** Reads the flags {@code given} (tracing comes from the already-validated {@code server}). */
    public static ObservabilityConfig fromFlags(ServerConfig server, Map<Flag, String> given) throws FlagException {
        try {
            LogConfig log = LogConfig.defaults().withLevel(LogLevel.parse(server.logLevel()))
                    .withOutputs(outputs(text(given, Flag.LOG_OUTPUTS)));
            if (Boolean.parseBoolean(text(given, Flag.ENABLE_LOG_ROTATION))) {
                String json = text(given, Flag.LOG_ROTATION_CONFIG_JSON);
                long maxSizeMb = number(MAX_SIZE, json, LogConfig.DEFAULT_ROTATION_MAX_SIZE_BYTES / BYTES_PER_MB);
                long backups = number(MAX_BACKUPS, json, 0);
                log = log.withRotation(Math.max(1, maxSizeMb) * BYTES_PER_MB,
                        backups == 0 ? LogConfig.DEFAULT_ROTATION_MAX_BACKUPS : (int) Math.min(backups,
                                LogConfig.MAX_ROTATION_BACKUPS));
            }
            var t = server.tracing();
            TracingConfig tracing = new TracingConfig(t.enabled(), t.address(), t.serviceName(), t.instanceId(),
                    t.samplingRatePerMillion());
            Duration warnApply = GoDuration.parse(text(given, Flag.EXPERIMENTAL_WARNING_APPLY_DURATION));
            Duration slow = GoDuration.parse(text(given, Flag.SLOW_REQUEST_THRESHOLD));
            StepTraceConfig steps = new StepTraceConfig(slow, warnApply, StepTraceConfig.DEFAULT_SLOW_REQUESTS_KEPT);
            String jaeger = text(given, Flag.CONSOLE_JAEGER_URL).trim().replaceAll("/+$", "");
            return new ObservabilityConfig(log.validate(), tracing.validate(), steps.validate(), jaeger);
        } catch (IllegalArgumentException e) {
            throw new FlagException(e.getMessage());
        }
    }

    private static String text(Map<Flag, String> given, Flag f) {
        return given.getOrDefault(f, f.defaultValue());
    }

    private static List<String> outputs(String flag) {
        return Arrays.stream(flag.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static long number(Pattern p, String json, long fallback) {
        Matcher m = p.matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : fallback;
    }
}
