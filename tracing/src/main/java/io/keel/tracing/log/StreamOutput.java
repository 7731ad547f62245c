package io.keel.tracing.log;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes lines to a stream the process does not own ({@code stdout}, {@code stderr}, or a test's
 * buffer), flushing after every line as etcd's zap does. Closing does not close the stream.
 *
 * <p>Owner: a {@link LogPipeline}. Thread-safety: thread-safe (writes are serialised).
 */
public final class StreamOutput implements LogOutput {
    private final OutputStream stream;

    public StreamOutput(OutputStream stream) {
        this.stream = stream;
    }

    @Override
    public synchronized void write(byte[] line) {
        try {
            stream.write(line);
            stream.flush();
        } catch (IOException e) {
            // A broken stdout must not take the server down with it.
            System.err.println("keel log output failed: " + e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            stream.flush();
        } catch (IOException e) {
            System.err.println("keel log output failed to flush: " + e);
        }
    }
}
