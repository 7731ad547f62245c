package io.keel.storage.mvcc.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The snapshot wire form etcdctl accepts: the database bytes, zero-padded to a multiple of 512,
 * followed by their SHA-256 (32 bytes). Stateless; thread-safe.
 */
public final class SnapshotStream {
    public static final int ALIGNMENT_BYTES = 512;
    public static final int HASH_BYTES = 32;
    private static final int BUFFER_BYTES = 64 * 1024;

    private SnapshotStream() {
    }

    /** Streams {@code dbFile} then its hash; returns the bytes written including the hash. */
    public static long write(Path dbFile, OutputStream out) throws IOException {
        MessageDigest sha = sha256();
        long written = 0;
        byte[] buf = new byte[BUFFER_BYTES];
        try (InputStream in = Files.newInputStream(dbFile)) {
            for (int n; (n = in.read(buf)) > 0; written += n) {
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
            }
        }
        int pad = (int) ((ALIGNMENT_BYTES - written % ALIGNMENT_BYTES) % ALIGNMENT_BYTES);
        if (pad > 0) {
            byte[] zeros = new byte[pad];
            sha.update(zeros);
            out.write(zeros);
            written += pad;
        }
        out.write(sha.digest());
        out.flush();
        return written + HASH_BYTES;
    }

    /**
     * Copies the stream's database bytes to {@code target} (created, fsynced) after checking the
     * trailing hash; throws {@link SnapshotIntegrityException} if it does not match or the length
     * is not a multiple of 512.
     */
    public static void read(InputStream in, Path target) throws IOException {
        MessageDigest sha = sha256();
        byte[] tail = new byte[0]; // the last HASH_BYTES seen, not yet known to be data
        long dataBytes = 0;
        byte[] buf = new byte[BUFFER_BYTES];
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int n; (n = in.read(buf)) > 0;) {
                byte[] joined = new byte[tail.length + n];
                System.arraycopy(tail, 0, joined, 0, tail.length);
                System.arraycopy(buf, 0, joined, tail.length, n);
                int data = Math.max(0, joined.length - HASH_BYTES);
                sha.update(joined, 0, data);
                out.write(joined, 0, data);
                dataBytes += data;
                tail = Arrays.copyOfRange(joined, data, joined.length);
            }
            if (tail.length != HASH_BYTES) {
                throw new SnapshotIntegrityException("snapshot stream shorter than its hash");
            }
            if (dataBytes % ALIGNMENT_BYTES != 0) {
                throw new SnapshotIntegrityException("snapshot length " + dataBytes + " is not a multiple of 512");
            }
            if (!MessageDigest.isEqual(sha.digest(), tail)) {
                throw new SnapshotIntegrityException("snapshot sha256 mismatch");
            }
        }
        try (var ch = java.nio.channels.FileChannel.open(target, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
