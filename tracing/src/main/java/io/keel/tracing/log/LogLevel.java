package io.keel.tracing.log;

import java.util.Locale;

/**
 * The four levels Keel logs at, spelled as etcd's zap logger spells them in the {@code "level"} key.
 *
 * <p>Owner: this module. Thread-safety: immutable enum.
 */
public enum LogLevel {
    DEBUG("debug"),
    INFO("info"),
    WARN("warn"),
    ERROR("error");

    private final String json;

    LogLevel(String json) {
        this.json = json;
    }

    /** The value written in the {@code "level"} key. */
    public String json() {
        return json;
    }

    /** True when an event at {@code eventLevel} passes a logger set to this level. */
    public boolean admits(LogLevel eventLevel) {
        return eventLevel.ordinal() >= ordinal();
    }

    /**
     * Parses a {@code --log-level} value. Accepts etcd's names; etcd's {@code dpanic}, {@code panic}
     * and {@code fatal} map to {@link #ERROR} because Keel never panics from a log call.
     */
    public static LogLevel parse(String flag) {
        if (flag == null) {
            throw new IllegalArgumentException("--log-level must not be empty");
        }
        return switch (flag.trim().toLowerCase(Locale.ROOT)) {
            case "debug" -> DEBUG;
            case "info" -> INFO;
            case "warn" -> WARN;
            case "error", "dpanic", "panic", "fatal" -> ERROR;
            default -> throw new IllegalArgumentException(
                    "unknown --log-level " + flag + " (want debug, info, warn or error)");
        };
    }
}
