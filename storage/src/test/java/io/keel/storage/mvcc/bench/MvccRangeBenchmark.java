package io.keel.storage.mvcc.bench;

import io.keel.storage.mvcc.MvccConfig;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.MvccWriteTxn;
import io.keel.storage.mvcc.PutRequest;
import io.keel.storage.mvcc.RangeRequest;
import io.keel.storage.mvcc.RangeResponse;
import io.keel.storage.mvcc.SyncMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Ranges over 10,000 keys in 100 directories, each key with 3 versions: a single-key get, a
 * 100-key prefix, a count-only prefix, and a get at a past revision. Reader threads as JMH runs them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MvccRangeBenchmark {
    private static final int DIRS = 100;
    private static final int PER_DIR = 100;

    private Path dir;
    private MvccStore store;
    private byte[][] keys;
    private byte[][] prefixes;
    private long pastRevision;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("keel-mvcc-bench");
        store = MvccStore.open(MvccConfig.defaults(dir.resolve("db"), List.of()).withSyncMode(SyncMode.NO_SYNC));
        keys = new byte[DIRS * PER_DIR][];
        prefixes = new byte[DIRS][];
        for (int d = 0; d < DIRS; d++) {
            prefixes[d] = ("/registry/dir-" + d + "/").getBytes(StandardCharsets.UTF_8);
            for (int k = 0; k < PER_DIR; k++) {
                keys[d * PER_DIR + k] = ("/registry/dir-" + d + "/key-" + k).getBytes(StandardCharsets.UTF_8);
            }
        }
        byte[] value = new byte[256];
        for (int version = 0; version < 3; version++) {
            for (int i = 0; i < keys.length; i += 100) {
                try (MvccWriteTxn w = store.beginWrite()) {
                    for (int j = i; j < i + 100; j++) {
                        w.put(PutRequest.of(keys[j], value));
                    }
                    w.commit();
                }
            }
            if (version == 0) {
                pastRevision = store.revision();
            }
        }
    }

    @Benchmark
    public RangeResponse getOneKey() {
        return store.range(RangeRequest.builder(keys[ThreadLocalRandom.current().nextInt(keys.length)]).build());
    }

    @Benchmark
    public RangeResponse prefixOfHundred() {
        return store.range(RangeRequest.builder(prefixes[ThreadLocalRandom.current().nextInt(DIRS)]).prefix().build());
    }

    @Benchmark
    public RangeResponse countOnlyPrefix() {
        return store.range(RangeRequest.builder(prefixes[ThreadLocalRandom.current().nextInt(DIRS)]).prefix()
                .countOnly(true).build());
    }

    @Benchmark
    public RangeResponse getOneKeyAtPastRevision() {
        return store.range(RangeRequest.builder(keys[ThreadLocalRandom.current().nextInt(keys.length)])
                .revision(pastRevision).build());
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        BenchFiles.deleteTree(dir);
    }
}
