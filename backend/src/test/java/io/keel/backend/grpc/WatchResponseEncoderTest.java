package io.keel.backend.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.ResponseHeader;
import io.keel.api.etcdserverpb.WatchResponse;
import io.keel.api.mvccpb.Event;
import io.keel.api.mvccpb.KeyValue;
import io.keel.server.watch.WatchFanOut;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The shared encoding gives exactly the bytes protobuf gives for each watcher's response. */
class WatchResponseEncoderTest {
    private final SplittableRandom random = new SplittableRandom(20261121L);

    @Test
    void sharedEventsEncodeByteForByteAsProtobuf() throws Exception {
        WatchResponseEncoder encoder = new WatchResponseEncoder();
        for (int round = 0; round < 200; round++) {
            // One revision's events and header, shared by many watchers (as the hub hands them out).
            ResponseHeader header = ResponseHeader.newBuilder().setClusterId(random.nextLong())
                    .setMemberId(random.nextLong()).setRevision(random.nextLong(1, Long.MAX_VALUE))
                    .setRaftTerm(random.nextLong(0, 1000)).build();
            List<Event> events = new ArrayList<>();
            for (int i = 0, n = random.nextInt(1, 4); i < n; i++) {
                events.add(event());
            }
            for (int watcher = 0; watcher < 30; watcher++) {
                WatchResponse.Builder b = WatchResponse.newBuilder().setWatchId(watcher == 0 ? -1 : random.nextLong(0, 1 << 20));
                if (random.nextInt(4) != 0) {
                    b.setHeader(header);
                }
                if (random.nextInt(10) == 0) {
                    b.setFragment(true);
                }
                if (random.nextInt(20) == 0) {
                    b.setCreated(true).setCanceled(true).setCompactRevision(random.nextLong(-5, 1000))
                            .setCancelReason("reason " + round);
                }
                events.stream().filter(e -> random.nextInt(3) != 0).forEach(b::addEvents);
                WatchResponse r = b.build();
                byte[] shared = encoder.encode(r);
                assertThat(shared).as("round %d watcher %d", round, watcher).isEqualTo(r.toByteArray());
                assertThat(WatchResponse.parseFrom(shared)).isEqualTo(r);
            }
        }
    }

    @Test
    void controlResponsesAndLargeEventsToo() {
        WatchResponseEncoder encoder = new WatchResponseEncoder();
        WatchResponse created = WatchResponse.newBuilder().setWatchId(7).setCreated(true).build();
        assertThat(encoder.encode(created)).isEqualTo(created.toByteArray());
        byte[] big = new byte[200_000];
        random.nextBytes(big);
        WatchResponse large = WatchResponse.newBuilder().setWatchId(3).addEvents(Event.newBuilder()
                .setKv(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFrom(big))))
                .build();
        assertThat(encoder.encode(large)).isEqualTo(large.toByteArray());
    }

    @Test
    void framesAreConsecutiveGrpcMessagesEachAsProtobufEncodesIt() throws Exception {
        WatchResponseEncoder encoder = new WatchResponseEncoder();
        for (int round = 0; round < 100; round++) {
            // Many revisions' events in one write (more distinct events than the encoder caches), with
            // control responses between them, as a stream drains what its watchers were given.
            List<Event> events = new ArrayList<>();
            for (int i = 0, n = random.nextInt(1, 80); i < n; i++) {
                events.add(event());
            }
            ResponseHeader header = ResponseHeader.newBuilder().setRevision(round + 1).setRaftTerm(2).build();
            List<WatchResponse> batch = new ArrayList<>();
            for (int i = 0, n = random.nextInt(1, 300); i < n; i++) {
                WatchResponse.Builder b = WatchResponse.newBuilder().setHeader(header).setWatchId(random.nextLong(-1, 500));
                if (random.nextInt(15) == 0) {
                    b.setCreated(true); // a control response: no events
                } else {
                    for (int e = 0, m = random.nextInt(1, 4); e < m; e++) {
                        b.addEvents(events.get(random.nextInt(events.size())));
                    }
                    b.setFragment(random.nextInt(10) == 0);
                }
                batch.add(b.build());
            }
            byte[] frames = encoder.frames(batch);
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(frames); // big-endian, as gRPC's length
            for (int i = 0; i < batch.size(); i++) {
                assertThat(in.get()).as("round %d message %d: compressed flag", round, i).isZero();
                byte[] message = new byte[in.getInt()];
                in.get(message);
                assertThat(message).as("round %d message %d", round, i).isEqualTo(batch.get(i).toByteArray());
            }
            assertThat(in.remaining()).as("round %d: bytes after the last message", round).isZero();
        }
    }

    @Test
    void aRevisionsWatchersShareHeaderAndEventBytesAndEachKeepsItsOwnIdAndFlags() throws Exception {
        WatchResponseEncoder encoder = new WatchResponseEncoder();
        for (int round = 0; round < 50; round++) {
            ResponseHeader header = ResponseHeader.newBuilder().setRevision(round + 10).setMemberId(round).build();
            ResponseHeader other = header.toBuilder().setRaftTerm(round + 1).build();
            Event plain = event();
            Event withPrev = plain.toBuilder().setPrevKv(kv()).build();
            List<WatchResponse> batch = new ArrayList<>();
            for (int w = 0; w < 100; w++) {
                // Mostly the fan-out case; now and then another event, header, id 0 or a flag between them.
                WatchResponse.Builder b = WatchResponse.newBuilder().setWatchId(w % 17 == 0 ? 0 : w)
                        .setHeader(w % 23 == 0 ? other : header).addEvents(w % 5 == 0 ? withPrev : plain);
                if (w % 31 == 0) {
                    b.setFragment(true);
                }
                if (w % 37 == 0) {
                    b.addEvents(plain);
                }
                if (w % 41 == 0) {
                    b.clearHeader();
                }
                batch.add(b.build());
            }
            for (WatchResponse r : batch) {
                assertThat(encoder.encode(r)).as("round %d watcher %d", round, r.getWatchId()).isEqualTo(r.toByteArray());
            }
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(encoder.frames(batch));
            for (WatchResponse r : batch) {
                assertThat(in.get()).isZero();
                byte[] message = new byte[in.getInt()];
                in.get(message);
                assertThat(message).as("round %d watcher %d", round, r.getWatchId()).isEqualTo(r.toByteArray());
            }
            assertThat(in.remaining()).isZero();
        }
    }

    @Test
    void fanOutsFrameEachWatchersResponseByteForByteAmongOtherResponses() throws Exception {
        WatchResponseEncoder encoder = new WatchResponseEncoder();
        for (int round = 0; round < 300; round++) {
            // A write as a stream gathers it: parts of fan-outs (each watcher its own id, the plain
            // event or the one with prev_kv) between ordinary responses, in queue order.
            List<WatchResponse> expected = new ArrayList<>();
            for (int piece = 0, pieces = random.nextInt(1, 8); piece < pieces; piece++) {
                if (random.nextInt(3) == 0) {
                    WatchResponse r = WatchResponse.newBuilder().setWatchId(random.nextLong(-1, 500))
                            .setHeader(ResponseHeader.newBuilder().setRevision(round + 1)).addEvents(event()).build();
                    encoder.add(r);
                    expected.add(r);
                    continue;
                }
                ResponseHeader header = ResponseHeader.newBuilder().setClusterId(random.nextLong())
                        .setMemberId(random.nextLong()).setRevision(random.nextLong(1, Long.MAX_VALUE))
                        .setRaftTerm(random.nextLong(0, 1000)).build();
                Event plain = event().toBuilder().clearPrevKv().build();
                Event prev = plain.toBuilder().setPrevKv(kv()).build();
                int n = random.nextInt(1, 150);
                long[] ids = new long[n];
                boolean[] withPrev = random.nextBoolean() ? null : new boolean[n];
                for (int i = 0; i < n; i++) {
                    int kind = random.nextInt(20);
                    ids[i] = kind == 0 ? 0 : kind == 1 ? random.nextLong(1L << 40, Long.MAX_VALUE)
                            : kind == 2 ? -1 : random.nextLong(1, 1 << 14);
                    if (withPrev != null) {
                        withPrev[i] = random.nextInt(3) == 0;
                    }
                }
                WatchFanOut f = WatchFanOut.of(header, plain, prev, ids, withPrev);
                int from = random.nextInt(0, n);
                int to = random.nextInt(from, n + 1);
                encoder.add(f, from, to);
                for (int i = from; i < to; i++) {
                    WatchResponse r = f.response(i);
                    assertThat(r.getEvents(0)).isEqualTo(withPrev != null && withPrev[i] ? prev : plain);
                    assertThat(r.getWatchId()).isEqualTo(ids[i]);
                    assertThat(WatchResponseEncoder.fanOutSize(f, i))
                            .isEqualTo(WatchResponseEncoder.PREFIX_BYTES + r.getSerializedSize());
                    expected.add(r);
                }
            }
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(encoder.takeFrames());
            for (int i = 0; i < expected.size(); i++) {
                assertThat(in.get()).as("round %d message %d: compressed flag", round, i).isZero();
                byte[] message = new byte[in.getInt()];
                in.get(message);
                assertThat(message).as("round %d message %d", round, i).isEqualTo(expected.get(i).toByteArray());
            }
            assertThat(in.remaining()).as("round %d: bytes after the last message", round).isZero();
        }
        assertThat(encoder.takeFrames()).as("a new gathering starts empty").isEmpty();
    }

    @Test
    void aMessageOfMoreThan16MiBHasItsFullLengthInThePrefix() {
        byte[] big = new byte[(1 << 24) + 300];
        random.nextBytes(big);
        WatchResponse large = WatchResponse.newBuilder().setWatchId(3).addEvents(Event.newBuilder()
                .setKv(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFrom(big))))
                .build();
        WatchResponse small = WatchResponse.newBuilder().setWatchId(4).setCanceled(true).build();
        byte[] frames = new WatchResponseEncoder().frames(List.of(large, small));
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(frames);
        assertThat(in.get()).isZero();
        assertThat(in.getInt()).isEqualTo(large.getSerializedSize());
        in.position(in.position() + large.getSerializedSize());
        assertThat(in.get()).isZero();
        assertThat(in.getInt()).isEqualTo(small.getSerializedSize());
    }

    private Event event() {
        Event.Builder e = Event.newBuilder().setType(random.nextBoolean() ? Event.EventType.PUT : Event.EventType.DELETE)
                .setKv(kv());
        if (random.nextBoolean()) {
            e.setPrevKv(kv());
        }
        return e.build();
    }

    private KeyValue kv() {
        byte[] value = new byte[random.nextInt(0, 600)];
        random.nextBytes(value);
        return KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("key-" + random.nextInt(1000)))
                .setValue(ByteString.copyFrom(value)).setCreateRevision(random.nextLong(0, 1 << 30))
                .setModRevision(random.nextLong(1, 1 << 30)).setVersion(random.nextLong(0, 100))
                .setLease(random.nextInt(3) == 0 ? random.nextLong() : 0).build();
    }
}
