package io.keel.backend.grpc;

import io.keel.api.etcdserverpb.WatchRequest;
import io.keel.api.etcdserverpb.WatchResponse;
import io.keel.server.errors.EtcdError;
import io.keel.server.watch.WatchFanOut;
import io.keel.server.watch.WatchHub;
import io.keel.server.watch.WatchSink;
import io.keel.server.watch.WatchStreamHandle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.WireFormat;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Watch gRPC stream: the bounded buffer between the hub and the client. The hub's thread
 * offers responses (refused past {@link #MAX_PENDING_BATCHES} event batches, as etcd's 128-deep
 * channel, so a slow client's watchers fall back to catching up from the store); the stream's
 * event loop writes them while the HTTP/2 window allows and waits for drain otherwise, and stops
 * reading requests while too much is queued. Thread-safe: offers from the hub thread, everything
 * else on the stream's context.
 */
final class GrpcWatchStream implements WatchSink {
    static final int MAX_PENDING_BATCHES = 128;
    /** Past this many queued responses the stream stops reading requests (control responses). */
    static final int MAX_PENDING_RESPONSES = 1024;
    /**
     * One write carries what is queued up to about this many bytes (a response past it goes alone):
     * large enough that one put to a stream's 100 watchers is one write, small enough that the
     * HTTP/2 flow control still paces a slow client.
     */
    static final int MAX_WRITE_BYTES = 64 * 1024;

    /**
     * Queued responses: one watcher's batch, several watchers' batches of one revision, or a
     * control response ({@code responses}); or the first {@code count} watchers of a fan-out
     * ({@code fanOut}: one response each). {@code batches} counts against the stream's bound.
     */
    private record Item(List<WatchResponse> responses, WatchFanOut fanOut, int count, int batches) {
        static Item of(List<WatchResponse> responses, int batches) {
            return new Item(responses, null, responses.size(), batches);
        }

        WatchResponse response(int i) {
            return fanOut != null ? fanOut.response(i) : responses.get(i);
        }

        int events(int i) {
            return fanOut != null ? 1 : responses.get(i).getEventsCount();
        }
    }

    private final Context context;
    private final GrpcServerRequest<WatchRequest, WatchResponse> request;
    private final GrpcServerResponse<WatchRequest, WatchResponse> response;
    private final Queue<Item> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingBatches = new AtomicInteger();
    private final AtomicInteger pendingResponses = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final StreamMessages.Method messages;
    /** Null when the client asked for another wire format than protobuf: then Vert.x encodes. */
    private final WatchResponseEncoder encoder;
    /** The HTTP/2 response under {@link #response}: pre-framed messages go out in one write. Null: one by one. */
    private final HttpServerResponse raw;
    private final Handler<Throwable> onWriteFailure = t -> close();
    private WatchStreamHandle handle;
    private boolean requestsPaused;
    /** The item being written and the index of its next response (event loop only). */
    private Item current;
    private int currentAt;

    private GrpcWatchStream(Context context, StreamMessages.Method messages,
                            GrpcServerRequest<WatchRequest, WatchResponse> request,
                            GrpcServerResponse<WatchRequest, WatchResponse> response) {
        this.context = context;
        this.messages = messages;
        this.request = request;
        this.response = response;
        this.encoder = request.format() == WireFormat.PROTOBUF ? new WatchResponseEncoder() : null;
        this.raw = encoder == null ? null : RawGrpcResponse.of(response);
    }

    static void start(Context context, WatchHub hub, StreamMessages.Method messages,
                      GrpcServerRequest<WatchRequest, WatchResponse> request,
                      GrpcServerResponse<WatchRequest, WatchResponse> response) {
        GrpcWatchStream s = new GrpcWatchStream(context, messages, request, response);
        s.handle = hub.open(s);
        if (s.handle == null) {
            response.fail(GrpcErrors.toStatusException(EtcdError.TOO_MANY_REQUESTS.exception()));
            return;
        }
        request.handler(s::onRequest);
        request.exceptionHandler(t -> s.close());
        request.errorHandler(e -> s.close());
        response.exceptionHandler(t -> s.close());
        response.drainHandler(v -> s.drain());
        response.writeHead();
    }

    private void onRequest(WatchRequest r) {
        messages.received();
        boolean accepted = switch (r.getRequestUnionCase()) {
            case CREATE_REQUEST -> handle.create(r.getCreateRequest());
            case CANCEL_REQUEST -> handle.cancel(r.getCancelRequest().getWatchId());
            case PROGRESS_REQUEST -> handle.requestProgress();
            case REQUESTUNION_NOT_SET -> true; // etcd ignores an empty request and keeps the stream
        };
        if (!accepted) {
            close();
            response.fail(GrpcErrors.toStatusException(EtcdError.TOO_MANY_REQUESTS.exception()));
            return;
        }
        if (pendingResponses.get() > MAX_PENDING_RESPONSES && !requestsPaused) {
            requestsPaused = true;
            request.pause();
        }
    }

    @Override
    public boolean hasRoom() {
        return pendingBatches.get() < MAX_PENDING_BATCHES && !closed.get();
    }

    @Override
    public boolean offer(List<WatchResponse> responses) {
        if (!hasRoom()) {
            return false;
        }
        enqueue(Item.of(responses, 1));
        return true;
    }

    /**
     * Hub thread: the fan-out's first watchers it has room for, as one item whose messages are
     * framed from the fan-out's shared bytes when written (no response object per watcher).
     */
    @Override
    public int offerFanOut(WatchFanOut f) {
        if (closed.get()) {
            return 0;
        }
        // Only the hub thread adds to pendingBatches; the event loop only lowers it meanwhile.
        int taken = Math.min(Math.max(0, MAX_PENDING_BATCHES - pendingBatches.get()), f.size());
        if (taken == 0) {
            return 0;
        }
        enqueue(new Item(null, f, taken, taken));
        return taken;
    }

    private void enqueue(Item item) {
        pendingBatches.addAndGet(item.batches());
        pendingResponses.addAndGet(item.count());
        queue.add(item);
        if (closed.get()) {
            discardQueued(); // closed while adding: nobody else would ever take these
            return;
        }
        scheduleDrain();
    }

    /** Events wait in the buffer until written: the stream reports them sent then (or dropped). */
    @Override
    public boolean reportsWrites() {
        return true;
    }

    @Override
    public void offerControl(WatchResponse r) {
        if (closed.get()) {
            return;
        }
        pendingResponses.incrementAndGet();
        queue.add(Item.of(List.of(r), 0));
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> drain());
        }
    }

    /** On the stream's context: write while the HTTP/2 window has room; the drain handler resumes. */
    private void drain() {
        drainScheduled.set(false);
        while (!closed.get() && !response.writeQueueFull()) {
            if (!(raw == null ? writeOne() : writeBatch())) {
                break;
            }
        }
        if (requestsPaused && pendingResponses.get() < MAX_PENDING_RESPONSES / 2) {
            requestsPaused = false;
            request.resume();
        }
    }

    /** Writes the next queued response on its own; false when nothing is queued. */
    private boolean writeOne() {
        WatchResponse r = next();
        if (r == null) {
            return false;
        }
        write(r).onFailure(onWriteFailure);
        messages.sent();
        int events = r.getEventsCount();
        if (events > 0) {
            handle.eventsSent(events);
        }
        return true;
    }

    /**
     * Writes what is queued, in order, up to {@link #MAX_WRITE_BYTES}, as consecutive gRPC messages
     * in one HTTP/2 write; false when nothing is queued. A fan-out's watchers are framed straight
     * from its shared bytes.
     */
    private boolean writeBatch() {
        long bytes = 0;
        int events = 0;
        int sent = 0;
        while (bytes < MAX_WRITE_BYTES) {
            if (current == null) {
                current = queue.poll();
                if (current == null) {
                    break;
                }
                currentAt = 0;
            }
            Item item = current;
            WatchFanOut f = item.fanOut();
            if (f != null) {
                int from = currentAt;
                int to = from;
                while (to < item.count() && bytes < MAX_WRITE_BYTES) {
                    bytes += WatchResponseEncoder.fanOutSize(f, to);
                    to++;
                }
                encoder.add(f, from, to);
                events += to - from;
                sent += to - from;
                currentAt = to;
            } else {
                WatchResponse r = item.responses().get(currentAt++);
                bytes += encoder.add(r);
                events += r.getEventsCount();
                sent++;
            }
            if (currentAt == item.count()) {
                taken(item);
            }
        }
        if (sent == 0) {
            return false;
        }
        raw.write(Buffer.buffer(encoder.takeFrames())).onFailure(onWriteFailure);
        messages.sent(sent);
        if (events > 0) {
            handle.eventsSent(events);
        }
        return true;
    }

    /**
     * The next queued response, or null; an item is accounted for (its responses and batches no
     * longer pending) when its last response is taken. Event loop only.
     */
    private WatchResponse next() {
        if (current == null) {
            current = queue.poll();
            if (current == null) {
                return null;
            }
            currentAt = 0;
        }
        Item item = current;
        WatchResponse r = item.response(currentAt++);
        if (currentAt == item.count()) {
            taken(item);
        }
        return r;
    }

    /** The item's last response was taken: it no longer counts as pending. Event loop only. */
    private void taken(Item item) {
        pendingResponses.addAndGet(-item.count());
        if (item.batches() > 0) {
            pendingBatches.addAndGet(-item.batches());
        }
        current = null;
    }

    /** Event responses go out pre-encoded: each event is serialized once for all watchers of the stream. */
    private Future<Void> write(WatchResponse r) {
        if (encoder == null) {
            return response.write(r);
        }
        return response.writeMessage(GrpcMessage.message("identity", Buffer.buffer(encoder.encode(r))));
    }

    /** On the stream's context (its handlers and write callbacks), so the item being written is ours to drop. */
    private void close() {
        if (closed.compareAndSet(false, true)) {
            handle.close();
            Item partly = current;
            current = null;
            if (partly != null) {
                int dropped = 0;
                for (int i = currentAt; i < partly.count(); i++) {
                    dropped += partly.events(i);
                }
                if (dropped > 0) {
                    handle.eventsDropped(dropped);
                }
            }
            discardQueued();
        }
    }

    /** Drops what is queued, reporting its events as dropped (each item is taken by one caller). */
    private void discardQueued() {
        int dropped = 0;
        Item item;
        while ((item = queue.poll()) != null) {
            for (int i = 0; i < item.count(); i++) {
                dropped += item.events(i);
            }
        }
        if (dropped > 0) {
            handle.eventsDropped(dropped);
        }
    }
}
