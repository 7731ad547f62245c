package io.keel.storage.raftlog;

import java.nio.file.Path;

/**
 * Another process (or another storage in this process) holds the data directory. Thrown by
 * {@link DataDirLock#acquire}; unchecked; immutable.
 */
public final class DataDirLockedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataDirLockedException(Path dataDir, Path lockFile) {
        super("data dir " + dataDir + " is in use by another Keel member (lock " + lockFile + " is held)");
    }
}
