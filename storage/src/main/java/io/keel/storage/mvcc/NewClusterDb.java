package io.keel.storage.mvcc;

import io.keel.storage.mvcc.backend.LmdbBackend;
import io.keel.storage.mvcc.snapshot.SnapshotInspector;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.lmdbjava.Txn;

/**
 * Turns a snapshot file into the database of a member of a new cluster, as
 * {@code etcdctl snapshot restore} does: the data is kept, the old cluster's membership is
 * dropped (the new member records it again from its bootstrap entries), and the consistent index
 * starts again at 0, because the new cluster's Raft log starts at index 1. Stateless; thread-safe.
 */
public final class NewClusterDb {
    private NewClusterDb() {
    }

    /**
     * Writes {@code config.dbPath()} from {@code snapshotFile}. Unless {@code skipHashCheck}, the
     * file must end with the SHA-256 of its database bytes ({@link
     * io.keel.storage.mvcc.snapshot.SnapshotIntegrityException} otherwise).
     *
     * @param clearBuckets aux databases to empty (the old cluster's member records)
     */
    public static void write(Path snapshotFile, boolean skipHashCheck, MvccConfig config, List<String> clearBuckets)
            throws IOException {
        Path dbPath = config.dbPath();
        Files.createDirectories(dbPath.toAbsolutePath().getParent());
        long size = Files.size(snapshotFile);
        boolean hasHash = SnapshotInspector.hasHash(size);
        if (!hasHash && !skipHashCheck) {
            throw new IOException("snapshot missing hash but --skip-hash-check=false");
        }
        if (hasHash && !skipHashCheck) {
            try (InputStream in = Files.newInputStream(snapshotFile)) {
                MvccStore.restoreFile(in, dbPath);
            }
        } else {
            copyPrefix(snapshotFile, SnapshotInspector.databaseBytes(snapshotFile), dbPath);
        }
        try (LmdbBackend backend = LmdbBackend.open(dbPath, config.mapSizeBytes(), true, config.maxReaders(),
                config.auxBuckets())) {
            try (Txn<byte[]> txn = backend.writeTxn()) {
                for (String bucket : clearBuckets) {
                    for (Map.Entry<byte[], byte[]> e : backend.listAux(txn, bucket)) {
                        backend.deleteAux(txn, bucket, e.getKey());
                    }
                }
                backend.putMeta(txn, MvccWriteTxn.CONSISTENT_INDEX, 0);
                backend.putMeta(txn, MvccWriteTxn.TERM, 0);
                txn.commit();
            }
            backend.sync();
        } catch (RuntimeException e) {
            throw new IOException("cannot open the snapshot's database: " + e.getMessage(), e);
        }
    }

    private static void copyPrefix(Path from, long bytes, Path to) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long remaining = bytes;
        try (InputStream in = Files.newInputStream(from); OutputStream out = Files.newOutputStream(to)) {
            while (remaining > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) {
                    throw new UncheckedIOException(new IOException("snapshot shorter than expected"));
                }
                out.write(buf, 0, n);
                remaining -= n;
            }
        }
        LmdbBackend.fsync(to);
    }
}
