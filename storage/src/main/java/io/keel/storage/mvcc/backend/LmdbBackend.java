package io.keel.storage.mvcc.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.KeyRange;
import org.lmdbjava.Stat;
import org.lmdbjava.Txn;

/**
 * One LMDB environment in a single file ({@code MDB_NOSUBDIR}): the {@code key} database of
 * revisions, the {@code meta} database (consistent index, term, compaction progress) and the
 * server's auxiliary databases. Owned by the store. Thread-safe as LMDB is: any number of read
 * transactions on any threads ({@code MDB_NOTLS}), one write transaction at a time, each committed
 * or aborted on the thread that began it.
 */
public final class LmdbBackend implements AutoCloseable {
    public static final String KEY_DB = "key";
    public static final String META_DB = "meta";

    private final Path path;
    private final Env<byte[]> env;
    private final Dbi<byte[]> keyDb;
    private final Dbi<byte[]> metaDb;
    private final Map<String, Dbi<byte[]>> auxDbs = new LinkedHashMap<>();

    private LmdbBackend(Path path, Env<byte[]> env, List<String> auxNames) {
        this.path = path;
        this.env = env;
        this.keyDb = env.openDbi(KEY_DB, DbiFlags.MDB_CREATE);
        this.metaDb = env.openDbi(META_DB, DbiFlags.MDB_CREATE);
        for (String name : auxNames) {
            auxDbs.put(name, env.openDbi(name, DbiFlags.MDB_CREATE));
        }
    }

    /**
     * Opens (creating if needed) the database file at {@code path}.
     *
     * @param syncData true for {@code MDB_NOMETASYNC} (flush data per commit), false for
     *     {@code MDB_NOSYNC} (flush only on {@link #sync()})
     */
    public static LmdbBackend open(Path path, long mapSizeBytes, boolean syncData, int maxReaders,
            List<String> auxNames) {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EnvFlags durability = syncData ? EnvFlags.MDB_NOMETASYNC : EnvFlags.MDB_NOSYNC;
        Env<byte[]> env = Env.create(ScratchByteArrayProxy.PROXY)
                .setMapSize(mapSizeBytes)
                .setMaxDbs(2 + auxNames.size())
                .setMaxReaders(maxReaders)
                .open(path.toFile(), EnvFlags.MDB_NOSUBDIR, EnvFlags.MDB_NOTLS, durability);
        return new LmdbBackend(path, env, auxNames);
    }

    public Path path() {
        return path;
    }

    public Txn<byte[]> readTxn() {
        return env.txnRead();
    }

    public Txn<byte[]> writeTxn() {
        return env.txnWrite();
    }

    public byte[] getRevision(Txn<byte[]> txn, byte[] revisionKey) {
        return keyDb.get(txn, revisionKey);
    }

    public void putRevision(Txn<byte[]> txn, byte[] revisionKey, byte[] value) {
        keyDb.put(txn, revisionKey, value);
    }

    public void deleteRevision(Txn<byte[]> txn, byte[] revisionKey) {
        keyDb.delete(txn, revisionKey);
    }

    /** Revisions in order from {@code fromKey}; close the iterable before ending the txn. */
    public CursorIterable<byte[]> revisionsFrom(Txn<byte[]> txn, byte[] fromKey) {
        return keyDb.iterate(txn, KeyRange.atLeast(fromKey));
    }

    /** How many revision records are stored (LMDB keeps the count: no scan). */
    public long revisionCount(Txn<byte[]> txn) {
        return keyDb.stat(txn).entries;
    }

    /** The greatest stored revision key, or null if there is none. */
    public byte[] lastRevisionKey(Txn<byte[]> txn) {
        try (CursorIterable<byte[]> it = keyDb.iterate(txn, KeyRange.allBackward())) {
            var i = it.iterator();
            return i.hasNext() ? i.next().key() : null;
        }
    }

    public long getMeta(Txn<byte[]> txn, String name, long absent) {
        byte[] v = metaDb.get(txn, name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return v == null ? absent : RevisionKeys.bytesLong(v);
    }

    public void putMeta(Txn<byte[]> txn, String name, long value) {
        metaDb.put(txn, name.getBytes(java.nio.charset.StandardCharsets.UTF_8), RevisionKeys.longBytes(value));
    }

    public void putAux(Txn<byte[]> txn, String bucket, byte[] key, byte[] value) {
        aux(bucket).put(txn, key, value);
    }

    public void deleteAux(Txn<byte[]> txn, String bucket, byte[] key) {
        aux(bucket).delete(txn, key);
    }

    public byte[] getAux(Txn<byte[]> txn, String bucket, byte[] key) {
        return aux(bucket).get(txn, key);
    }

    public List<Map.Entry<byte[], byte[]>> listAux(Txn<byte[]> txn, String bucket) {
        List<Map.Entry<byte[], byte[]>> out = new ArrayList<>();
        try (CursorIterable<byte[]> it = aux(bucket).iterate(txn)) {
            for (CursorIterable.KeyVal<byte[]> kv : it) {
                out.add(new AbstractMap.SimpleImmutableEntry<>(kv.key(), kv.val()));
            }
        }
        return out;
    }

    private Dbi<byte[]> aux(String bucket) {
        Dbi<byte[]> dbi = auxDbs.get(bucket);
        if (dbi == null) {
            throw new IllegalArgumentException("unknown aux bucket " + bucket + "; configured: " + auxDbs.keySet());
        }
        return dbi;
    }

    /** Bytes the file takes on disk (etcd's db size). */
    public long sizeBytes() {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes of pages reachable from the live trees (etcd's db size in use); never above the file size. */
    public long sizeInUseBytes() {
        long pages = 2; // the two meta pages
        int pageSize;
        try (Txn<byte[]> txn = env.txnRead()) {
            Stat main = env.stat();
            pageSize = main.pageSize;
            pages += pagesOf(main);
            pages += pagesOf(keyDb.stat(txn)) + pagesOf(metaDb.stat(txn));
            for (Dbi<byte[]> dbi : auxDbs.values()) {
                pages += pagesOf(dbi.stat(txn));
            }
        }
        return Math.min(pages * pageSize, sizeBytes());
    }

    private static long pagesOf(Stat s) {
        return s.branchPages + s.leafPages + s.overflowPages;
    }

    /** Writes a compacted copy (free pages omitted) to {@code target}, which must not exist, and fsyncs it. */
    public void copyCompacted(Path target) {
        env.copy(target.toFile(), org.lmdbjava.CopyFlags.MDB_CP_COMPACT);
        fsync(target);
    }

    /** Flushes every committed transaction to disk, meta page included. */
    public void sync() {
        env.sync(true);
    }

    @Override
    public void close() {
        if (!env.isClosed()) {
            env.sync(true);
            env.close();
        }
    }

    /** fsync of a file or, for a directory, of its entries. */
    public static void fsync(Path file) {
        boolean dir = Files.isDirectory(file);
        try (FileChannel ch = dir ? FileChannel.open(file, StandardOpenOption.READ)
                : FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("fsync failed for " + file, e);
        }
    }
}
