package io.keel.tracing.log;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;
import org.slf4j.Marker;

/**
 * An SLF4J logger writing etcd-shaped JSON lines. Fields come from SLF4J 2's fluent API:
 * {@code log.atWarn().addKeyValue("took", d).log("apply request took too long")} writes
 * {@code "took"} as a field after {@code "msg"}. The {@code "caller"} key is derived once from the
 * logger's name ({@code io.keel.storage.wal.LogWriter} gives {@code wal/LogWriter.java}): etcd
 * prints file and line, but finding the line per event would mean a stack walk on the hot path.
 *
 * <p>Owner: {@link KeelLoggerFactory} creates and caches one per name. Thread-safety: thread-safe.
 */
public final class KeelLogger extends LegacyAbstractLogger implements LoggingEventAware {
    private static final long serialVersionUID = 1L;

    private final transient KeelLoggerFactory factory;
    private final String caller;

    KeelLogger(String name, KeelLoggerFactory factory) {
        this.name = name;
        this.factory = factory;
        this.caller = callerOf(name);
    }

    /** The {@code "caller"} value for a logger name. */
    static String callerOf(String loggerName) {
        int last = loggerName.lastIndexOf('.');
        if (last < 0) {
            return loggerName;
        }
        int previous = loggerName.lastIndexOf('.', last - 1);
        return loggerName.substring(previous + 1, last) + "/" + loggerName.substring(last + 1) + ".java";
    }

    @Override
    public boolean isTraceEnabled() {
        return factory.pipeline().enabled(LogLevel.DEBUG);
    }

    @Override
    public boolean isDebugEnabled() {
        return factory.pipeline().enabled(LogLevel.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return factory.pipeline().enabled(LogLevel.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return factory.pipeline().enabled(LogLevel.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return factory.pipeline().enabled(LogLevel.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable throwable) {
        LogPipeline pipeline = factory.pipeline();
        LogLevel eventLevel = toLogLevel(level);
        if (!pipeline.enabled(eventLevel)) {
            return;
        }
        pipeline.emit(eventLevel, caller, format(pattern, arguments), List.of(), List.of(), throwable);
    }

    @Override
    public void log(LoggingEvent event) {
        LogPipeline pipeline = factory.pipeline();
        LogLevel eventLevel = toLogLevel(event.getLevel());
        if (!pipeline.enabled(eventLevel)) {
            return;
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        List<String> keys = List.of();
        List<Object> values = List.of();
        if (pairs != null && !pairs.isEmpty()) {
            keys = new ArrayList<>(pairs.size());
            values = new ArrayList<>(pairs.size());
            for (KeyValuePair pair : pairs) {
                keys.add(pair.key);
                values.add(pair.value);
            }
        }
        Object[] arguments = event.getArgumentArray();
        pipeline.emit(eventLevel, caller, format(event.getMessage(), arguments), keys, values, event.getThrowable());
    }

    private static String format(String pattern, Object[] arguments) {
        if (pattern == null) {
            return "";
        }
        if (arguments == null || arguments.length == 0) {
            return pattern;
        }
        return MessageFormatter.basicArrayFormat(pattern, arguments);
    }

    private static LogLevel toLogLevel(Level level) {
        return switch (level) {
            case TRACE, DEBUG -> LogLevel.DEBUG;
            case INFO -> LogLevel.INFO;
            case WARN -> LogLevel.WARN;
            case ERROR -> LogLevel.ERROR;
        };
    }
}
