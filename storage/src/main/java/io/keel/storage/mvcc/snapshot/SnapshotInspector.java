package io.keel.storage.mvcc.snapshot;

import io.keel.storage.mvcc.backend.LmdbBackend;
import io.keel.storage.mvcc.backend.RevisionKeys;
import io.keel.storage.mvcc.backend.ScratchByteArrayProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/**
 * Reads a snapshot file as {@code etcdctl snapshot save} wrote it (the database bytes, padding,
 * then the SHA-256) and reports its {@link SnapshotStatus}. Works on a private copy of the
 * database part so the file itself is never opened for writing. Stateless; thread-safe.
 */
public final class SnapshotInspector {
    /** Large enough for any snapshot this tool will read; LMDB only reserves address space. */
    private static final long MAP_SIZE_BYTES = 1L << 40;

    private SnapshotInspector() {
    }

    /**
     * The status of {@code snapshotFile}. Throws {@link NoSuchFileException} if it does not exist,
     * {@link IOException} if it is not a database.
     */
    public static SnapshotStatus inspect(Path snapshotFile) throws IOException {
        if (!Files.exists(snapshotFile)) {
            throw new NoSuchFileException(snapshotFile.toString());
        }
        Path dir = Files.createTempDirectory("keelutl-status-");
        Path db = dir.resolve("db");
        try {
            copyDatabasePart(snapshotFile, db);
            return statusOf(db);
        } finally {
            for (Path p : List.of(db, dir.resolve("db-lock"), dir)) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The database bytes of a snapshot file: the file without its SHA-256, if it has one. */
    public static long databaseBytes(Path snapshotFile) throws IOException {
        long size = Files.size(snapshotFile);
        return hasHash(size) ? size - SnapshotStream.HASH_BYTES : size;
    }

    /** etcd's test for a trailing hash: the length is 32 over a multiple of 512. */
    public static boolean hasHash(long fileBytes) {
        return fileBytes % SnapshotStream.ALIGNMENT_BYTES == SnapshotStream.HASH_BYTES;
    }

    private static void copyDatabasePart(Path snapshotFile, Path target) throws IOException {
        long remaining = databaseBytes(snapshotFile);
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(snapshotFile); OutputStream out = Files.newOutputStream(target)) {
            while (remaining > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                remaining -= n;
            }
        }
    }

    private static SnapshotStatus statusOf(Path db) throws IOException {
        Env<byte[]> env;
        try {
            env = Env.create(ScratchByteArrayProxy.PROXY).setMapSize(MAP_SIZE_BYTES).setMaxDbs(64)
                    .open(db.toFile(), EnvFlags.MDB_NOSUBDIR, EnvFlags.MDB_NOTLS);
        } catch (RuntimeException e) {
            throw new IOException("not a Keel snapshot: " + e.getMessage(), e);
        }
        try (env) {
            List<byte[]> names = new ArrayList<>(env.getDbiNames());
            names.sort(Arrays::compareUnsigned);
            CRC32C crc = new CRC32C();
            long revision = 0;
            long total = 0;
            for (byte[] name : names) {
                Dbi<byte[]> dbi = env.openDbi(name);
                boolean revisions = LmdbBackend.KEY_DB.equals(new String(name, StandardCharsets.UTF_8));
                crc.update(name);
                try (Txn<byte[]> txn = env.txnRead(); CursorIterable<byte[]> it = dbi.iterate(txn)) {
                    for (CursorIterable.KeyVal<byte[]> kv : it) {
                        crc.update(kv.key());
                        crc.update(kv.val());
                        if (revisions) {
                            revision = RevisionKeys.decode(kv.key()).main();
                        }
                        total++;
                    }
                }
            }
            long bytes = (env.info().lastPageNumber + 1) * env.stat().pageSize;
            return new SnapshotStatus((int) crc.getValue(), revision, total, bytes);
        }
    }
}
