package io.keel.tracing.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Appends lines to a file and, when rotation is on, rotates it by size: before a line would take
 * the file past the limit, {@code path.(n-1)} becomes {@code path.n}, ..., {@code path} becomes
 * {@code path.1}, and a fresh {@code path} is opened; at most {@code maxBackups} old files remain.
 * The size is counted as lines are written (no file-system call per line). A line larger than the
 * limit is still written whole, into a file of its own. A line written after {@link #close()} (by a
 * logger that raced a reconfiguration) is appended without rotation rather than lost.
 *
 * <p>Owner: a {@link LogPipeline}. Thread-safety: thread-safe (writes are serialised).
 */
public final class RotatingFileOutput implements LogOutput {
    private final Path path;
    private final boolean rotate;
    private final long maxSizeBytes;
    private final int maxBackups;
    private OutputStream out;
    private long sizeBytes;
    private boolean closed;

    /** Opens (creating or appending to) {@code path}. */
    public RotatingFileOutput(Path path, boolean rotate, long maxSizeBytes, int maxBackups) throws IOException {
        if (maxSizeBytes <= 0 || maxBackups < 0) {
            throw new IllegalArgumentException("bad rotation limits: " + maxSizeBytes + ", " + maxBackups);
        }
        this.path = path.toAbsolutePath();
        this.rotate = rotate;
        this.maxSizeBytes = maxSizeBytes;
        this.maxBackups = maxBackups;
        Path parent = this.path.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        open();
    }

    @Override
    public synchronized void write(byte[] line) {
        try {
            if (out == null) {
                open();
            }
            if (closed) {
                // A logger still holding the pipeline this output belonged to: keep its line.
                out.write(line);
                close();
                return;
            }
            if (rotate && sizeBytes > 0 && sizeBytes + line.length > maxSizeBytes) {
                rotateFiles();
            }
            out.write(line);
            out.flush();
            sizeBytes += line.length;
        } catch (IOException e) {
            System.err.println("keel log output " + path + " failed: " + e);
        }
    }

    /** Bytes in the active file, as counted. */
    public synchronized long sizeBytes() {
        return sizeBytes;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                System.err.println("keel log output " + path + " failed to close: " + e);
            }
            out = null;
        }
    }

    private void open() throws IOException {
        out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        sizeBytes = Files.size(path);
    }

    private void rotateFiles() throws IOException {
        out.close();
        out = null;
        if (maxBackups == 0) {
            Files.deleteIfExists(path);
        } else {
            Files.deleteIfExists(backup(maxBackups));
            for (int i = maxBackups - 1; i >= 1; i--) {
                Path from = backup(i);
                if (Files.exists(from)) {
                    Files.move(from, backup(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(path, backup(1), StandardCopyOption.REPLACE_EXISTING);
        }
        open();
    }

    private Path backup(int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }
}
