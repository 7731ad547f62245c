package io.keel.bench.jmh;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.ResponseHeader;
import io.keel.api.etcdserverpb.WatchResponse;
import io.keel.api.mvccpb.Event;
import io.keel.api.mvccpb.KeyValue;
import io.keel.backend.grpc.WatchResponseEncoder;
import io.keel.server.watch.WatchFanOut;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One watch stream's serialization work for one put seen by all its watchers (the side-by-side
 * watch row: 100 watchers per stream on one key, 256-byte values): each watcher's response
 * encoded by protobuf on its own (as Vert.x's gRPC encoder does), against
 * {@link WatchResponseEncoder}, which encodes the shared event and header once. JMH state per
 * thread; single-threaded. Run with {@code bin/keel-bench jmh WatchFanOut} (not part of any test run).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@State(Scope.Thread)
public class WatchFanOutEncodeBenchmark {
    @Param({"100"})
    public int watchers;
    @Param({"256"})
    public int valueBytes;

    private WatchResponse[] responses;
    private ResponseHeader header;
    private Event event;
    private long[] ids;

    @Setup
    public void setUp() {
        byte[] value = new byte[valueBytes];
        new Random(42).nextBytes(value);
        event = Event.newBuilder().setType(Event.EventType.PUT).setKv(KeyValue.newBuilder()
                .setKey(ByteString.copyFromUtf8("/registry/pods/default/web-0")).setValue(ByteString.copyFrom(value))
                .setCreateRevision(12).setModRevision(123_456).setVersion(4)).build();
        header = ResponseHeader.newBuilder().setClusterId(0x1234_5678_9abcL)
                .setMemberId(0x9abc_def0_1234L).setRevision(123_456).setRaftTerm(7).build();
        responses = new WatchResponse[watchers];
        ids = new long[watchers];
        for (int i = 0; i < watchers; i++) {
            ids[i] = i;
            responses[i] = WatchResponse.newBuilder().setHeader(header).setWatchId(i).addEvents(event).build();
        }
    }

    /** Before: protobuf encodes each watcher's response, the same event included, on its own. */
    @Benchmark
    public void protobufPerWatcher(Blackhole bh) {
        for (WatchResponse r : responses) {
            bh.consume(r.toByteArray());
        }
    }

    /** After: a stream's encoder (a fresh one per revision, the worst case) shares the event's bytes. */
    @Benchmark
    public void sharedPerStream(Blackhole bh) {
        WatchResponseEncoder encoder = new WatchResponseEncoder();
        for (WatchResponse r : responses) {
            bh.consume(encoder.encode(r));
        }
    }

    /**
     * Pass 6: what the hub now hands a stream (one fan-out: header and event encoded once, the
     * watchers' ids) and the stream's one write of all its watchers' messages, framed from it.
     */
    @Benchmark
    public void fanOutFramed(Blackhole bh) {
        WatchFanOut f = WatchFanOut.of(header, event, null, ids, null);
        WatchResponseEncoder encoder = new WatchResponseEncoder();
        encoder.add(f, 0, f.size());
        bh.consume(encoder.takeFrames());
    }
}
