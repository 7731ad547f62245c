package io.keel.tracing.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Encodes one log event as one JSON line in etcd's shape: {@code level}, {@code ts}, {@code caller},
 * {@code msg}, then the event's fields in the order given, then {@code error} and
 * {@code stacktrace} when a throwable is attached. Values are rendered by their static kind with
 * {@code instanceof} checks (no reflection): numbers and booleans bare, {@link Duration} in Go's
 * spelling, collections and arrays as JSON arrays, maps as objects, anything else as its string.
 *
 * <p>Owner: {@link KeelLogger}s share one. Thread-safety: stateless, thread-safe.
 */
public final class JsonLineEncoder {

    /** Encodes an event to UTF-8 bytes ending in a newline. */
    public byte[] encode(long epochMillis, LogLevel level, String caller, String msg,
                         List<String> keys, List<Object> values, Throwable error) {
        StringBuilder out = new StringBuilder(160 + msg.length());
        out.append("{\"level\":\"").append(level.json()).append("\",\"ts\":\"");
        EtcdTimestamp.append(out, epochMillis);
        out.append("\",\"caller\":");
        appendString(out, caller);
        out.append(",\"msg\":");
        appendString(out, msg);
        for (int i = 0; i < keys.size(); i++) {
            out.append(',');
            appendString(out, keys.get(i));
            out.append(':');
            appendValue(out, values.get(i));
        }
        if (error != null) {
            out.append(",\"error\":");
            appendString(out, String.valueOf(error.getMessage() != null ? error.getMessage() : error));
            out.append(",\"stacktrace\":");
            appendString(out, stackTraceOf(error));
        }
        out.append("}\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Appends one field value as JSON. */
    static void appendValue(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            appendString(out, s);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger || value instanceof AtomicLong
                || value instanceof AtomicInteger || value instanceof BigDecimal) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                out.append(value);
            } else {
                appendString(out, value.toString());
            }
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Duration d) {
            appendString(out, EtcdDuration.format(d.toNanos()));
        } else if (value instanceof Iterable<?> items) {
            out.append('[');
            boolean first = true;
            for (Object item : items) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                appendValue(out, item);
            }
            out.append(']');
        } else if (value instanceof Object[] items) {
            appendValue(out, java.util.Arrays.asList(items));
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                appendString(out, String.valueOf(e.getKey()));
                out.append(':');
                appendValue(out, e.getValue());
            }
            out.append('}');
        } else {
            appendString(out, value.toString());
        }
    }

    /** Appends a JSON string literal; escapes quotes, backslashes and control characters. */
    static void appendString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append("\\u00");
                        out.append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static String stackTraceOf(Throwable error) {
        StringWriter text = new StringWriter(512);
        error.printStackTrace(new PrintWriter(text));
        return text.toString().stripTrailing();
    }
}
