package io.keel.tracing.log;

import java.io.Closeable;

/**
 * A destination for encoded log lines.
 *
 * <p>Owner: a {@link LogPipeline}. Thread-safety: implementations are thread-safe; each call
 * writes one whole line, so lines from different threads never interleave.
 */
public interface LogOutput extends Closeable {
    /** Writes one encoded line. Failures are reported on stderr, never thrown at the caller. */
    void write(byte[] line);

    @Override
    void close();
}
