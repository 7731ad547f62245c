package io.keel.bench.jmh;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.keel.api.etcdserverpb.PutRequest;
import io.keel.api.internal.v1.InternalRequest;
import io.keel.server.kv.KvProtoMapping;
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

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The protobuf work a put costs on Keel's write path besides the network codec: encoding the
 * {@code InternalRequest} that becomes the Raft entry (proposer), decoding it (applier, on every
 * member), and mapping it to the MVCC store's request type. JMH state per thread; single-threaded.
 * Run with {@code bin/keel-bench jmh} (not part of any test run).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@State(Scope.Thread)
public class InternalRequestCodecBenchmark {
    @Param({"256"})
    public int valueBytes;

    private InternalRequest request;
    private byte[] encoded;

    @Setup
    public void setUp() {
        byte[] value = new byte[valueBytes];
        new Random(42).nextBytes(value);
        request = InternalRequest.newBuilder().setId(0x1234_5678_9abcL)
                .setPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("/registry/pods/default/web-0"))
                        .setValue(ByteString.copyFrom(value)))
                .build();
        encoded = request.toByteArray();
    }

    /** Proposer side: builder to bytes, as {@code Proposer.propose} does for every request. */
    @Benchmark
    public byte[] encodePut() {
        return InternalRequest.newBuilder().setId(request.getId()).setPut(request.getPut()).build().toByteArray();
    }

    /** Applier side: the entry's bytes back to a request. */
    @Benchmark
    public InternalRequest decodePut() throws InvalidProtocolBufferException {
        return InternalRequest.parseFrom(encoded);
    }

    /** Applier side: decode and map to the MVCC store's put (copies key and value to byte[]). */
    @Benchmark
    public io.keel.storage.mvcc.PutRequest decodeAndMapPut() throws InvalidProtocolBufferException {
        return KvProtoMapping.put(InternalRequest.parseFrom(encoded).getPut());
    }
}
