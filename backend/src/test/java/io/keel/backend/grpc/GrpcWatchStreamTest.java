package io.keel.backend.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.keel.api.etcdserverpb.ResponseHeader;
import io.keel.api.etcdserverpb.WatchCancelRequest;
import io.keel.api.etcdserverpb.WatchCreateRequest;
import io.keel.api.etcdserverpb.WatchGrpcService;
import io.keel.api.etcdserverpb.WatchRequest;
import io.keel.api.etcdserverpb.WatchResponse;
import io.keel.api.mvccpb.Event;
import io.keel.server.watch.WatchHub;
import io.keel.server.watch.WatchHubConfig;
import io.keel.storage.mvcc.MvccConfig;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.MvccWriteTxn;
import io.keel.storage.mvcc.PutRequest;
import io.vertx.grpc.server.GrpcServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch stream with many watchers, served by the member's real hub and gRPC service and read by
 * grpc-java: the stream writes what its watchers were given as pre-framed messages, many per
 * HTTP/2 write, and the client must still read every response whole, each watcher's events in
 * revision order, the control responses where they belong.
 */
class GrpcWatchStreamTest {
    private static final MethodDescriptor<WatchRequest, WatchResponse> WATCH = io.keel.backend.e2e.RawWatch.WATCH;

    @TempDir
    Path dir;

    @Test
    void theBatchedWritePathIsAvailableWithThisVertx() {
        assertThat(RawGrpcResponse.available()).as("Vert.x's gRPC response still holds its HTTP response").isTrue();
    }

    @Test
    void theStreamTakesAPutsFanOutWholeInsteadOfOneResponsePerWatcher() throws Exception {
        // WatchSink's default offerFanOut builds a response per watcher: the stream must override it.
        assertThat(GrpcWatchStream.class.getDeclaredMethod("offerFanOut", io.keel.server.watch.WatchFanOut.class)
                .getDeclaringClass()).isEqualTo(GrpcWatchStream.class);
    }

    @Test
    void everyWatcherOfAStreamGetsEveryEventInOrderThroughBatchedWrites() throws Exception {
        int watchers = 60;
        int puts = 300;
        try (MvccStore store = MvccStore.open(MvccConfig.defaults(dir.resolve("db"), List.of()));
             AutoCloseableVertx v = new AutoCloseableVertx()) {
            WatchHub hub = new WatchHub(store, rev -> ResponseHeader.newBuilder().setRevision(rev).setRaftTerm(1).build(),
                    WatchHubConfig.defaults(), System::nanoTime, 7).start();
            try {
                GrpcServer grpc = GrpcServer.server(v.vertx);
                grpc.addService(WatchGrpcService.builder(new WatchRpcs(hub, () -> false, StreamMessages.NONE))
                        .bind(WatchGrpcService.all()).build());
                int port = v.listen(grpc);
                ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
                try {
                    ConcurrentLinkedQueue<WatchResponse> got = new ConcurrentLinkedQueue<>();
                    AtomicReference<Status> closed = new AtomicReference<>();
                    ClientCall<WatchRequest, WatchResponse> call = channel.newCall(WATCH, CallOptions.DEFAULT);
                    call.start(new ClientCall.Listener<>() {
                        @Override
                        public void onMessage(WatchResponse message) {
                            got.add(message);
                        }

                        @Override
                        public void onClose(Status status, Metadata trailers) {
                            closed.set(status);
                        }
                    }, new Metadata());
                    call.request(Integer.MAX_VALUE);
                    for (int id = 1; id <= watchers; id++) {
                        call.sendMessage(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                                .setKey(ByteString.copyFromUtf8("k")).setWatchId(id).setPrevKv(id % 7 == 0)).build());
                    }
                    await("every watcher created", () -> got.stream().filter(WatchResponse::getCreated).count() == watchers,
                            closed);
                    for (int i = 1; i <= puts; i++) {
                        put(store, hub, "k", "v" + i);
                    }
                    await("the puts' events", () -> got.stream().mapToInt(WatchResponse::getEventsCount).sum()
                            >= watchers * puts, closed);
                    // Cancel one watcher, then one more put: every other watcher gets it, the cancelled one not.
                    call.sendMessage(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder()
                            .setWatchId(watchers)).build());
                    await("the cancel", () -> got.stream().anyMatch(WatchResponse::getCanceled), closed);
                    put(store, hub, "k", "after-cancel");
                    int expected = (watchers - 1) * (puts + 1) + puts;
                    await("every event", () -> got.stream().mapToInt(WatchResponse::getEventsCount).sum() >= expected,
                            closed);

                    Map<Long, List<Event>> byWatcher = new HashMap<>();
                    boolean canceledSeen = false;
                    for (WatchResponse r : got) {
                        if (r.getCanceled()) {
                            assertThat(r.getWatchId()).isEqualTo(watchers);
                            canceledSeen = true;
                            continue;
                        }
                        if (r.getEventsCount() > 0) {
                            assertThat(canceledSeen && r.getWatchId() == watchers).as("event after the cancel").isFalse();
                            assertThat(r.getHeader().getRevision()).isEqualTo(r.getEvents(r.getEventsCount() - 1)
                                    .getKv().getModRevision());
                            byWatcher.computeIfAbsent(r.getWatchId(), k -> new ArrayList<>()).addAll(r.getEventsList());
                        }
                    }
                    assertThat(got.stream().mapToInt(WatchResponse::getEventsCount).sum()).isEqualTo(expected);
                    assertThat(byWatcher).hasSize(watchers);
                    for (Map.Entry<Long, List<Event>> e : byWatcher.entrySet()) {
                        long id = e.getKey();
                        List<Event> events = e.getValue();
                        assertThat(events).as("watcher %d", id).hasSize(id == watchers ? puts : puts + 1);
                        for (int i = 0; i < events.size(); i++) {
                            Event ev = events.get(i);
                            String want = i < puts ? "v" + (i + 1) : "after-cancel";
                            assertThat(ev.getKv().getValue().toString(StandardCharsets.UTF_8)).as("watcher %d event %d", id, i)
                                    .isEqualTo(want);
                            assertThat(ev.getKv().getModRevision()).isEqualTo(i + 2); // revision 1 is the empty store
                            assertThat(ev.hasPrevKv()).isEqualTo(id % 7 == 0 && i > 0);
                        }
                    }
                    call.halfClose();
                } finally {
                    channel.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
                }
            } finally {
                hub.close();
            }
        }
    }

    private static void put(MvccStore store, WatchHub hub, String key, String value) {
        try (MvccWriteTxn w = store.beginWrite()) {
            w.put(PutRequest.of(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
            var changes = w.changes();
            long rev = w.commit();
            hub.committed(rev, changes);
        }
    }

    private static void await(String what, BooleanSupplier condition, AtomicReference<Status> closed)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos(); // generous: a loaded 2-core machine
        while (!condition.getAsBoolean()) {
            assertThat(closed.get()).as("stream closed while waiting for " + what).isNull();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
