package io.keel.tracing.log;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Spells an instant as etcd's {@code "ts"} key does: ISO 8601 in UTC with milliseconds,
 * {@code 2026-11-21T14:34:25.615Z}. The date-time part of the current second is cached, so the
 * common case costs a comparison and a few appends.
 *
 * <p>Owner: this module. Thread-safety: thread-safe (the cache is one immutable value in a
 * volatile field; a race only recomputes it).
 */
public final class EtcdTimestamp {
    private record Second(long epochSecond, String prefix) {
    }

    private static volatile Second cached = new Second(Long.MIN_VALUE, "");

    private EtcdTimestamp() {
    }

    /** Formats milliseconds since the epoch. */
    public static String format(long epochMillis) {
        StringBuilder out = new StringBuilder(24);
        append(out, epochMillis);
        return out.toString();
    }

    /** Appends the formatted instant to {@code out}. */
    public static void append(StringBuilder out, long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000L);
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        Second current = cached;
        if (current.epochSecond() != second) {
            current = new Second(second, prefixOf(second));
            cached = current;
        }
        out.append(current.prefix()).append('.');
        if (millis < 100) {
            out.append('0');
        }
        if (millis < 10) {
            out.append('0');
        }
        out.append(millis).append('Z');
    }

    private static String prefixOf(long epochSecond) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(19);
        pad(b, t.getYear(), 4).append('-');
        pad(b, t.getMonthValue(), 2).append('-');
        pad(b, t.getDayOfMonth(), 2).append('T');
        pad(b, t.getHour(), 2).append(':');
        pad(b, t.getMinute(), 2).append(':');
        pad(b, t.getSecond(), 2);
        return b.toString();
    }

    private static StringBuilder pad(StringBuilder b, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }
}
