package io.keel.storage.raftlog;

import io.keel.storage.wal.WalSyncException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS lock on {@code <data-dir>/member/raftlog.lock}, held while the storage is open,
 * so a second member on the same data directory fails fast instead of interleaving writes. The OS
 * drops the lock when the process dies, so a kill -9 never leaves the directory locked.
 *
 * <p>Owned by {@link DurableRaftStorage}; not thread-safe.
 */
public final class DataDirLock implements AutoCloseable {
    public static final String FILE_NAME = "raftlog.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock without waiting.
     *
     * @throws DataDirLockedException naming {@code dataDir} when it is held elsewhere
     */
    public static DataDirLock acquire(Path dataDir, Path memberDir) {
        Path file = memberDir.resolve(FILE_NAME);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new WalSyncException("cannot open lock file " + file, e);
        }
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                closeQuietly(ch);
                throw new DataDirLockedException(dataDir, file);
            }
            return new DataDirLock(ch, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new DataDirLockedException(dataDir, file);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new WalSyncException("cannot lock " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel below releases the lock as well.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // A lock-file channel holds no data.
        }
    }
}
