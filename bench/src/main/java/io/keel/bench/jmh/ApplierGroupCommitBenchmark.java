package io.keel.bench.jmh;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.PutRequest;
import io.keel.api.internal.v1.InternalRequest;
import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.server.alarm.AlarmStore;
import io.keel.server.apply.Applier;
import io.keel.server.apply.ApplyResult;
import io.keel.server.lease.LeaseStore;
import io.keel.server.lease.Lessor;
import io.keel.server.membership.InitialMembers;
import io.keel.server.membership.MemberStore;
import io.keel.server.wait.WaitRegistry;
import io.keel.storage.mvcc.MvccConfig;
import io.keel.storage.mvcc.MvccStore;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The apply thread's cost per committed put, on a real LMDB store with the server's durability
 * (`NO_META_SYNC`, one fdatasync per commit): {@code batch} puts handed over together, applied by
 * {@link Applier#apply} as one group commit. The score is per apply call; divide by {@code batch}
 * for the cost per entry. {@code batch=1} is the old one-commit-per-entry path. JMH state per
 * thread; single-threaded, as the apply thread. Run with {@code bin/keel-bench jmh ApplierGroupCommit}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@State(Scope.Thread)
public class ApplierGroupCommitBenchmark {
    @Param({"1", "100"})
    public int batch;

    private Path dir;
    private MvccStore store;
    private Applier applier;
    private final List<byte[]> payloads = new ArrayList<>();
    private long index;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("keel-jmh-apply");
        store = MvccStore.open(MvccConfig.defaults(dir.resolve("db"),
                MemberStore.bucketsWith(AlarmStore.BUCKET, LeaseStore.BUCKET)));
        Lessor lessor = new Lessor(System::nanoTime, 1);
        applier = new Applier(store, MemberStore.load(store), AlarmStore.load(store), lessor,
                new WaitRegistry<ApplyResult>(16), new InitialMembers(Map.of()), members -> { });
        Random random = new Random(42);
        for (int i = 0; i < 1_000; i++) {
            byte[] value = new byte[256];
            random.nextBytes(value);
            payloads.add(InternalRequest.newBuilder().setId(i + 1)
                    .setPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("key-" + random.nextInt(100_000)))
                            .setValue(ByteString.copyFrom(value)))
                    .build().toByteArray());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public long applyPuts() {
        List<Entry> entries = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            index++;
            entries.add(Entry.normal(1, index, payloads.get((int) (index % payloads.size()))));
        }
        applier.apply(entries, ConfState.ofVoters(1L));
        return applier.appliedIndex();
    }
}
