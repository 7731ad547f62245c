package io.keel.tracing.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What a logger writes through: the level, the encoder, the wall clock for {@code "ts"} and the
 * outputs. Replaced as a whole on reconfiguration, so a logger sees either the old or the new one.
 *
 * <p>Owner: {@link KeelLoggerFactory}. Thread-safety: immutable; its outputs are thread-safe.
 */
public final class LogPipeline implements AutoCloseable {
    private final LogLevel level;
    private final List<LogOutput> outputs;
    private final LongSupplier epochMillis;
    private final JsonLineEncoder encoder = new JsonLineEncoder();

    public LogPipeline(LogLevel level, List<LogOutput> outputs, LongSupplier epochMillis) {
        this.level = level;
        this.outputs = List.copyOf(outputs);
        this.epochMillis = epochMillis;
    }

    /** The pipeline before anyone configures logging: etcd's default, info to stderr. */
    public static LogPipeline initial() {
        return new LogPipeline(LogLevel.INFO, List.of(new StreamOutput(System.err)), System::currentTimeMillis);
    }

    /** Opens the outputs a validated config names. */
    public static LogPipeline open(LogConfig config) throws IOException {
        config.validate();
        List<LogOutput> opened = new ArrayList<>();
        try {
            for (String name : config.outputs()) {
                opened.add(switch (name) {
                    case "stderr", "default" -> new StreamOutput(System.err);
                    case "stdout" -> new StreamOutput(System.out);
                    default -> new RotatingFileOutput(Path.of(name), config.rotationEnabled(),
                            config.rotationMaxSizeBytes(), config.rotationMaxBackups());
                });
            }
        } catch (IOException | RuntimeException e) {
            opened.forEach(LogOutput::close);
            throw e;
        }
        return new LogPipeline(config.level(), opened, System::currentTimeMillis);
    }

    public LogLevel level() {
        return level;
    }

    /** True when events at {@code eventLevel} are written. */
    public boolean enabled(LogLevel eventLevel) {
        return level.admits(eventLevel);
    }

    /** Encodes and writes one event; the caller has already checked the level. */
    public void emit(LogLevel eventLevel, String caller, String msg, List<String> keys, List<Object> values,
                     Throwable error) {
        byte[] line = encoder.encode(epochMillis.getAsLong(), eventLevel, caller, msg, keys, values, error);
        for (LogOutput output : outputs) {
            output.write(line);
        }
    }

    @Override
    public void close() {
        for (LogOutput output : outputs) {
            output.close();
        }
    }
}
