package io.keel.storage.snap;

import io.keel.storage.wal.Durability;
import io.keel.storage.wal.WalSyncException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a small file so that a reader after any crash sees either the old or the new content:
 * write a temporary file, fsync it, rename it over the target, fsync the directory.
 * Stateless; thread-safe for distinct targets.
 */
public final class AtomicFiles {
    /** Suffix of the temporary files; leftovers from a crash are deleted by {@link SnapshotFiles}. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /**
     * Writes {@code content} to {@code target} durably.
     *
     * @throws WalSyncException when any write or fsync fails; the member must stop
     */
    public static void write(Path target, byte[] content) {
        Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new WalSyncException("snap: cannot write " + temp, e);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new WalSyncException("snap: cannot rename " + temp + " to " + target, e);
        }
        Durability.forceDirectory(target.getParent());
    }
}
