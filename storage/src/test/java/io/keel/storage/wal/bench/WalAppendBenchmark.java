package io.keel.storage.wal.bench;

import io.keel.raft.Entry;
import io.keel.raft.HardState;
import io.keel.storage.raftlog.DurableRaftStorage;
import io.keel.storage.raftlog.RaftLogConfig;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Log append + durability barrier throughput: one {@link DurableRaftStorage#save} per invocation
 * (a Raft Ready of {@code batchSize} entries of {@code payloadBytes} plus a hard state, one barrier).
 * Reports saves/s, and through auxiliary counters records/s and payload bytes/s.
 *
 * <p>Not part of the test run: {@code mvn -B -ntp -pl storage -am -Pbench verify -DskipTests}. The
 * log is written under {@code -Dkeel.bench.dir} (default {@code target/bench-wal}), which must be a
 * real disk, not tmpfs, for fsync to mean anything. JMH state is per thread; single-threaded.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@State(Scope.Thread)
public class WalAppendBenchmark {
    @Param({"1", "16", "256"})
    public int batchSize;

    @Param({"256"})
    public int payloadBytes;

    private Path dataDir;
    private DurableRaftStorage storage;
    private byte[] payload;
    private long nextIndex;

    /** Records and payload bytes made durable, reported by JMH as rates per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Written {
        public long records;
        public long payloadBytes;

        @Setup(Level.Iteration)
        public void reset() {
            records = 0;
            payloadBytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void open() throws IOException {
        Path base = Path.of(System.getProperty("keel.bench.dir", "target/bench-wal"));
        Files.createDirectories(base);
        dataDir = Files.createTempDirectory(base, "wal-");
        storage = DurableRaftStorage.open(RaftLogConfig.defaults(dataDir));
        payload = new byte[payloadBytes];
        new Random(1).nextBytes(payload);
        nextIndex = 1;
    }

    @Benchmark
    public void appendAndSync(Written written) {
        List<Entry> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            batch.add(Entry.normal(1, nextIndex++, payload));
        }
        storage.save(new HardState(1, 1, nextIndex - 1), batch, true);
        written.records += batchSize;
        written.payloadBytes += (long) batchSize * payloadBytes;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        storage.close();
        try (var files = Files.walk(dataDir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
    }

    /** Runs the benchmarks with Keel's JVM flags in the forked JVM; extra args are passed to JMH's include filter. */
    public static void main(String[] args) throws RunnerException {
        String flags = System.getProperty("keel.jvm.flags", "-Dchronicle.analytics.disable=true");
        String[] jvmArgs = Arrays.stream(flags.trim().split("\\s+")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        new Runner(new OptionsBuilder()
                .include(args.length > 0 ? args[0] : WalAppendBenchmark.class.getSimpleName())
                .jvmArgsAppend(jvmArgs)
                .build()).run();
    }
}
