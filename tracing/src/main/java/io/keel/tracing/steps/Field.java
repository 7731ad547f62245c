package io.keel.tracing.steps;

/**
 * One key/value detail of a trace or a step, printed as etcd's traceutil does: {@code key:value; }.
 *
 * <p>Owner: callers of {@link Trace}. Thread-safety: immutable record (the value should be too).
 */
public record Field(String key, Object value) {
    public Field {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("field key must not be empty");
        }
    }

    /** Shorthand constructor. */
    public static Field of(String key, Object value) {
        return new Field(key, value);
    }

    void appendTo(StringBuilder out) {
        out.append(key).append(':').append(value).append("; ");
    }

    /** {@code {k1:v1; k2:v2; }}, or the empty string for no fields, as etcd writes them. */
    static String format(Iterable<Field> fields) {
        StringBuilder out = null;
        for (Field field : fields) {
            if (out == null) {
                out = new StringBuilder(64).append('{');
            }
            field.appendTo(out);
        }
        return out == null ? "" : out.append('}').toString();
    }
}
