package io.keel.bench.workload;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.PutRequest;
import io.keel.api.etcdserverpb.WatchCreateRequest;
import io.keel.api.etcdserverpb.WatchRequest;
import io.keel.api.etcdserverpb.WatchResponse;
import io.keel.api.mvccpb.Event;
import io.keel.bench.cli.BenchArgs;
import io.keel.bench.client.Connection;
import io.keel.bench.client.Connections;
import io.keel.bench.report.LatencyRecorder;
import io.keel.bench.report.Summary;
import io.keel.bench.report.TextReport;
import io.vertx.core.streams.WriteStream;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code watch}: W watchers (streams x watch-per-stream) over a set of keys, then P puts to those
 * keys; reports how long watch creation took and, for every event delivered, the time from the
 * put being sent to the event arriving (the put's value carries its send time), and events/s.
 * Flags as etcd's benchmark {@code watch}. Run by one thread; stream callbacks on event loops.
 */
public final class WatchBenchmark {
    private static final long SEED = 0x77617463L;

    private final int streams;
    private final int watchesPerStream;
    private final List<ByteString> watched = new ArrayList<>();
    private final long[] watchersPerKey;
    private final int putTotal;
    private final int valSize;
    private final LatencyRecorder creation;
    private final LatencyRecorder events;
    private final AtomicLong expectedEvents = new AtomicLong();
    private final AtomicLong receivedEvents = new AtomicLong();
    private final AtomicLong createdWatches = new AtomicLong();
    private final CompletableFuture<Void> allCreated = new CompletableFuture<>();
    private final CompletableFuture<Void> allDelivered = new CompletableFuture<>();
    private volatile boolean putsDone;
    private volatile long lastEventNanos;

    private WatchBenchmark(int streams, int watchesPerStream, int keyTotal, int keySize, int keySpace,
                           boolean sequential, int putTotal, int valSize) {
        this.streams = streams;
        this.watchesPerStream = watchesPerStream;
        this.putTotal = putTotal;
        this.valSize = Math.max(Long.BYTES, valSize);
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < keyTotal; i++) {
            watched.add(Keys.key(keySize, sequential ? i % keySpace : random.nextInt(keySpace)));
        }
        this.watchersPerKey = new long[keyTotal];
        long w = (long) streams * watchesPerStream;
        for (long i = 0; i < w; i++) {
            watchersPerKey[(int) (i % keyTotal)]++;
        }
        this.creation = new LatencyRecorder((int) w);
        long eventsTotal = 0;
        for (int i = 0; i < putTotal; i++) {
            eventsTotal += watchersPerKey[i % keyTotal];
        }
        this.events = new LatencyRecorder((int) Math.min(Integer.MAX_VALUE - 8, eventsTotal));
    }

    public static int run(BenchArgs a, RunSettings s) throws InterruptedException {
        int streams = a.integer("streams", 10);
        int perStream = a.integer("watch-per-stream", 100);
        int keyTotal = a.integer("watched-key-total", 1);
        int putTotal = a.integer("put-total", 1000);
        int keySize = a.integer("key-size", 32);
        int keySpace = a.integer("key-space-size", 1);
        boolean sequential = a.bool("sequential-keys");
        int valSize = a.integer("val-size", 8);
        a.rejectUnknown();
        if (keySpace <= 0 || keyTotal <= 0 || streams <= 0 || perStream <= 0) {
            throw new IllegalArgumentException("--streams, --watch-per-stream, --watched-key-total and "
                    + "--key-space-size must be positive");
        }
        WatchBenchmark b = new WatchBenchmark(streams, perStream, keyTotal, keySize, keySpace, sequential,
                putTotal, valSize);
        try (Connections conns = s.open()) {
            return b.run(conns, s);
        }
    }

    private int run(Connections conns, RunSettings s) throws InterruptedException {
        long deadline = System.nanoTime() + s.timeout().toNanos();
        long createStart = System.nanoTime();
        for (int i = 0; i < streams; i++) {
            openStream(conns.forClient(i), i);
        }
        boolean created = awaitUntil(allCreated, deadline);
        long createElapsed = System.nanoTime() - createStart;
        Summary createSummary = Summary.of("watch-create", creation, createElapsed);
        s.out().print(TextReport.text(createSummary));
        s.out().println();
        if (!created) {
            return s.report(Summary.of("watch", events, 0), false, fields(createSummary));
        }

        long putStart = System.nanoTime();
        ClosedLoop puts = new ClosedLoop(conns, s.clients(), putTotal, this::put, seq -> {
            expectedEvents.addAndGet(watchersPerKey[(int) (seq % watched.size())]);
            checkDelivered();
        });
        boolean putsComplete = puts.start().await(java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        putsDone = true;
        checkDelivered();
        boolean delivered = putsComplete && awaitUntil(allDelivered, deadline);
        long elapsed = (delivered ? lastEventNanos : System.nanoTime()) - putStart;
        s.out().print(TextReport.text(Summary.of("watch-put", puts.recorder(), elapsed)));
        s.out().println();
        Map<String, String> f = fields(createSummary);
        f.put("events_expected", String.valueOf(expectedEvents.get()));
        f.put("put_errors", String.valueOf(puts.recorder().errors()));
        return s.report(Summary.of("watch", events, elapsed), delivered, f);
    }

    private Map<String, String> fields(Summary createSummary) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("watchers", String.valueOf((long) streams * watchesPerStream));
        f.put("streams", String.valueOf(streams));
        f.put("watched_key_total", String.valueOf(watched.size()));
        f.put("put_total", String.valueOf(putTotal));
        f.put("create_p99_ms", String.format(java.util.Locale.ROOT, "%.4f", createSummary.percentile(99)));
        return f;
    }

    private io.vertx.core.Future<?> put(Connection conn, long seq) {
        ByteBuffer v = ByteBuffer.allocate(valSize);
        v.putLong(System.nanoTime());
        return conn.kv.put(PutRequest.newBuilder().setKey(watched.get((int) (seq % watched.size())))
                .setValue(ByteString.copyFrom(v.array())).build());
    }

    private void openStream(Connection conn, int streamIndex) {
        ConcurrentLinkedQueue<Long> createSent = new ConcurrentLinkedQueue<>();
        conn.watch.watch((WriteStream<WatchRequest> requests, Throwable err) -> {
            if (err != null) {
                allCreated.completeExceptionally(err);
                return;
            }
            for (int j = 0; j < watchesPerStream; j++) {
                long n = (long) streamIndex * watchesPerStream + j;
                createSent.add(System.nanoTime());
                requests.write(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                        .setKey(watched.get((int) (n % watched.size())))).build());
            }
        }).onSuccess(responses -> responses.handler(r -> onResponse(r, createSent)))
                .onFailure(allCreated::completeExceptionally);
    }

    private void onResponse(WatchResponse r, ConcurrentLinkedQueue<Long> createSent) {
        long now = System.nanoTime();
        if (r.getCreated()) {
            Long sent = createSent.poll();
            creation.record(now - (sent == null ? now : sent));
            if (createdWatches.incrementAndGet() == (long) streams * watchesPerStream) {
                allCreated.complete(null);
            }
        }
        for (Event e : r.getEventsList()) {
            ByteString value = e.getKv().getValue();
            if (value.size() >= Long.BYTES) {
                events.record(now - value.asReadOnlyByteBuffer().getLong());
            }
            receivedEvents.incrementAndGet();
            lastEventNanos = now;
        }
        checkDelivered();
    }

    private void checkDelivered() {
        if (putsDone && receivedEvents.get() >= expectedEvents.get()) {
            allDelivered.complete(null);
        }
    }

    private static boolean awaitUntil(CompletableFuture<Void> f, long deadlineNanos) throws InterruptedException {
        try {
            f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("watch stream failed: " + e.getCause(), e.getCause());
        }
    }
}
