package io.keel.storage.mvcc;

import io.keel.storage.mvcc.backend.LmdbBackend;
import io.keel.storage.mvcc.snapshot.SnapshotStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;

/**
 * File-level operations on the database file: compacting copies for defragment and snapshots,
 * and the safe swap (write temp, fsync, rename, fsync directory). Temporary files sit beside the
 * database with fixed suffixes and are removed at open. Stateless; callers hold the store's
 * environment lock as each method requires.
 */
final class StoreFiles {
    static final String DEFRAG_SUFFIX = ".defrag.tmp";
    static final String SNAPSHOT_SUFFIX = ".snapshot.tmp";
    static final String RESTORE_SUFFIX = ".restore.tmp";

    private StoreFiles() {
    }

    static void removeLeftovers(Path dbPath) {
        Path parent = dbPath.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            return;
        }
        String base = dbPath.getFileName().toString();
        try (var files = Files.list(parent)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(base + DEFRAG_SUFFIX) || name.startsWith(base + SNAPSHOT_SUFFIX)
                        || name.startsWith(base + RESTORE_SUFFIX)) {
                    deleteQuietly(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Needs the environment exclusively: closes {@code backend} and returns the reopened compacted one. */
    static LmdbBackend defragment(LmdbBackend backend, Supplier<LmdbBackend> reopen) {
        Path db = backend.path();
        Path tmp = sibling(db, DEFRAG_SUFFIX);
        deleteQuietly(tmp);
        backend.copyCompacted(tmp);
        backend.close();
        swapInto(tmp, db);
        return reopen.get();
    }

    /** Needs the environment shared: streams a compacting copy. */
    static long snapshot(LmdbBackend backend, OutputStream out) {
        Path tmp = sibling(backend.path(), SNAPSHOT_SUFFIX + "." + Thread.currentThread().getId());
        deleteQuietly(tmp);
        try {
            backend.copyCompacted(tmp);
            return SnapshotStream.write(tmp, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Verifies the stream into a temp file, then {@code closeOld} and the swap into {@code dbPath}. */
    static void restore(InputStream in, Path dbPath, Runnable closeOld) {
        Path tmp = sibling(dbPath, RESTORE_SUFFIX);
        try {
            Files.createDirectories(dbPath.toAbsolutePath().getParent());
            deleteQuietly(tmp);
            SnapshotStream.read(in, tmp);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException(e);
        }
        closeOld.run();
        swapInto(tmp, dbPath);
    }

    private static void swapInto(Path fsyncedTemp, Path target) {
        try {
            Files.move(fsyncedTemp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + fsyncedTemp + " to " + target, e);
        }
        LmdbBackend.fsync(target.toAbsolutePath().getParent());
    }

    private static Path sibling(Path db, String suffix) {
        return db.resolveSibling(db.getFileName() + suffix);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
