package io.keel.tracing.log;

import java.io.IOException;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Entry point for the server: applies {@code --log-level} and {@code --log-outputs} to every SLF4J
 * logger in the process, and routes {@code java.util.logging} into the same JSON lines.
 *
 * <p>Owner: the server's startup code, called once (again on reconfiguration). Thread-safety:
 * thread-safe; loggers switch to the new pipeline atomically.
 */
public final class KeelLogging {
    private KeelLogging() {
    }

    /**
     * Validates {@code config}, opens its outputs and makes them current.
     *
     * @throws IOException           when a log file cannot be opened
     * @throws IllegalStateException when SLF4J is bound to another logger (a packaging mistake)
     */
    public static void configure(LogConfig config) throws IOException {
        ILoggerFactory bound = LoggerFactory.getILoggerFactory();
        if (!(bound instanceof KeelLoggerFactory keel)) {
            throw new IllegalStateException("SLF4J is bound to " + bound.getClass().getName()
                    + ", not Keel's JSON logger: remove the other SLF4J binding from the class path");
        }
        keel.replacePipeline(LogPipeline.open(config));
        JulBridge.install(config.level());
    }
}
