package io.keel.tracing.log;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

/**
 * Hands out {@link KeelLogger}s and holds the current {@link LogPipeline}, which every logger reads
 * on each event, so reconfiguring applies to loggers created before it.
 *
 * <p>Owner: {@link KeelServiceProvider} creates the process-wide one; tests create their own.
 * Thread-safety: thread-safe.
 */
public final class KeelLoggerFactory implements ILoggerFactory {
    private final ConcurrentMap<String, KeelLogger> loggers = new ConcurrentHashMap<>();
    private volatile LogPipeline pipeline;

    public KeelLoggerFactory(LogPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new KeelLogger(n, this));
    }

    /** The pipeline events go through now. */
    public LogPipeline pipeline() {
        return pipeline;
    }

    /** Installs {@code next} and closes the previous pipeline's outputs. */
    public void replacePipeline(LogPipeline next) {
        LogPipeline previous;
        synchronized (this) {
            previous = pipeline;
            pipeline = next;
        }
        if (previous != next) {
            previous.close();
        }
    }
}
