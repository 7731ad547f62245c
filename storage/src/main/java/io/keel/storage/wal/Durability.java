package io.keel.storage.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * fsync helpers for files and directories. Any failure is a {@link WalSyncException}: after a
 * failed fsync the kernel may have dropped the dirty pages, so retrying cannot make them durable.
 * Stateless; thread-safe.
 */
public final class Durability {
    private Durability() {
    }

    /** fsync of a file's data and metadata. */
    public static void forceFile(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new WalSyncException("wal: fsync of " + file + " failed", e);
        }
    }

    /** fsync of a directory, so that entries created, renamed or deleted in it survive power loss. */
    public static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new WalSyncException("wal: fsync of directory " + dir + " failed", e);
        }
    }
}
