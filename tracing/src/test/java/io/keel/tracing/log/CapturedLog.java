package io.keel.tracing.log;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Test helper: a logger factory writing into memory, with a wall clock the test sets.
 * Owned by one test; not thread-safe beyond what the logger itself guarantees.
 */
public final class CapturedLog {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    public final AtomicLong epochMillis = new AtomicLong();
    private final KeelLoggerFactory factory;

    public CapturedLog(LogLevel level) {
        factory = new KeelLoggerFactory(new LogPipeline(level, List.of(new StreamOutput(bytes)), epochMillis::get));
    }

    public Logger logger(Class<?> owner) {
        return factory.getLogger(owner.getName());
    }

    public String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The lines written so far, each parsed as JSON (which also proves each line is valid JSON). */
    public List<JsonObject> lines() {
        List<JsonObject> out = new ArrayList<>();
        for (String line : text().split("\n")) {
            if (!line.isEmpty()) {
                out.add(JsonParser.parseString(line).getAsJsonObject());
            }
        }
        return out;
    }

    /** The key order of a JSON line. */
    public static List<String> keys(JsonObject line) {
        return new ArrayList<>(line.keySet());
    }
}
