package io.keel.tracing.span;

import java.util.List;
import java.util.Map;

/**
 * Reads incoming request metadata (gRPC headers) without this module knowing the server's types.
 * Keys asked for are lower case ({@code traceparent}, {@code tracestate}, {@code uber-trace-id}).
 *
 * <p>Owner: the server implements it over its own metadata type. Thread-safety: called on the
 * thread that starts the span only.
 *
 * @param <C> the carrier type, e.g. Vert.x's {@code MultiMap}
 */
public interface MetadataGetter<C> {
    /** The value of {@code key}, or null when absent. */
    String get(C carrier, String key);

    /** All keys present (used only for propagators that match by prefix, such as baggage). */
    default Iterable<String> keys(C carrier) {
        return List.of();
    }

    /** A getter over a plain map; looks the key up as given, then lower-cased. */
    static MetadataGetter<Map<String, String>> forMap() {
        return MapGetter.INSTANCE;
    }

    /** The getter {@link #forMap()} returns. */
    enum MapGetter implements MetadataGetter<Map<String, String>> {
        INSTANCE;

        @Override
        public String get(Map<String, String> carrier, String key) {
            if (carrier == null) {
                return null;
            }
            String value = carrier.get(key);
            if (value == null) {
                for (Map.Entry<String, String> e : carrier.entrySet()) {
                    if (e.getKey().equalsIgnoreCase(key)) {
                        return e.getValue();
                    }
                }
            }
            return value;
        }

        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier == null ? List.of() : carrier.keySet();
        }
    }
}
