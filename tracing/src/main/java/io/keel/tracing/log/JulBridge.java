package io.keel.tracing.log;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes {@code java.util.logging} (used by OpenTelemetry's exporter, among others) into Keel's
 * JSON logger, so every line the process writes has etcd's shape. The JUL root level is set to
 * the configured level, so JUL drops disabled events before they reach the bridge.
 *
 * <p>Owner: {@link KeelLogging}. Thread-safety: install is synchronised; JUL's loggers are
 * thread-safe.
 */
final class JulBridge {
    private JulBridge() {
    }

    static synchronized void install(LogLevel level) {
        Logger root = LogManager.getLogManager().getLogger("");
        boolean installed = false;
        for (Handler handler : root.getHandlers()) {
            if (handler instanceof SLF4JBridgeHandler) {
                installed = true;
            } else {
                root.removeHandler(handler);
            }
        }
        if (!installed) {
            root.addHandler(new SLF4JBridgeHandler());
        }
        root.setLevel(switch (level) {
            case DEBUG -> Level.FINEST;
            case INFO -> Level.INFO;
            case WARN -> Level.WARNING;
            case ERROR -> Level.SEVERE;
        });
    }
}
