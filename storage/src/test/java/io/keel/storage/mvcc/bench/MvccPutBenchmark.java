package io.keel.storage.mvcc.bench;

import io.keel.storage.mvcc.MvccConfig;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.MvccWriteTxn;
import io.keel.storage.mvcc.PutRequest;
import io.keel.storage.mvcc.SyncMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Puts of 256-byte values over 10,000 keys, each an applied Raft entry recording the consistent
 * index: one entry per LMDB commit, or 100 per commit (group commit). Single-threaded, as the
 * applier is.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MvccPutBenchmark {
    static final int GROUP = 100;

    @Param({"NO_META_SYNC", "NO_SYNC"})
    public SyncMode syncMode;

    private Path dir;
    private MvccStore store;
    private byte[][] keys;
    private final byte[] value = new byte[256];
    private final Random rnd = new Random(42);
    private long raftIndex;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("keel-mvcc-bench");
        store = MvccStore.open(MvccConfig.defaults(dir.resolve("db"), List.of()).withSyncMode(syncMode));
        keys = new byte[10_000][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ("/registry/pods/default/pod-" + i).getBytes(StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    public long put() {
        try (MvccWriteTxn w = store.beginWrite()) {
            w.put(PutRequest.of(keys[rnd.nextInt(keys.length)], value));
            w.setConsistentIndex(++raftIndex, 1);
            return w.commit();
        }
    }

    /** Group commit: 100 entries (100 revisions) per LMDB commit, throughput counted per entry. */
    @Benchmark
    @OperationsPerInvocation(GROUP)
    public long putGroupOf100() {
        try (MvccWriteTxn w = store.beginWrite()) {
            for (int i = 0; i < GROUP; i++) {
                w.put(PutRequest.of(keys[rnd.nextInt(keys.length)], value));
                w.setConsistentIndex(++raftIndex, 1);
                w.finishEntry();
            }
            return w.commit();
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        BenchFiles.deleteTree(dir);
    }
}
