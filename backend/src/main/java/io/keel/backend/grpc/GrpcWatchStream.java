package io.keel.backend.grpc;

import io.keel.api.etcdserverpb.WatchRequest;
import io.keel.api.etcdserverpb.WatchResponse;
import io.keel.server.errors.EtcdError;
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
import java.util.ArrayList;
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

    private record Item(WatchResponse response, boolean endsBatch) {
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
    /** The responses of one write; reused (confined to the event loop). */
    private final List<WatchResponse> writeBatch = new ArrayList<>();
    private final Handler<Throwable> onWriteFailure = t -> close();
    private WatchStreamHandle handle;
    private boolean requestsPaused;

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
        pendingBatches.incrementAndGet();
        pendingResponses.addAndGet(responses.size());
        for (int i = 0; i < responses.size(); i++) {
            queue.add(new Item(responses.get(i), i == responses.size() - 1));
        }
        if (closed.get()) {
            discardQueued(); // closed while adding: nobody else would ever take these
            return true;
        }
        scheduleDrain();
        return true;
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
        queue.add(new Item(r, false));
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
        Item item = queue.poll();
        if (item == null) {
            return false;
        }
        WatchResponse r = taken(item);
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
     * in one HTTP/2 write; false when nothing is queued.
     */
    private boolean writeBatch() {
        List<WatchResponse> batch = writeBatch;
        batch.clear();
        int bytes = 0;
        int events = 0;
        Item item;
        while (bytes < MAX_WRITE_BYTES && (item = queue.poll()) != null) {
            WatchResponse r = taken(item);
            batch.add(r);
            bytes += r.getSerializedSize();
            events += r.getEventsCount();
        }
        if (batch.isEmpty()) {
            return false;
        }
        raw.write(Buffer.buffer(encoder.frames(batch))).onFailure(onWriteFailure);
        messages.sent(batch.size());
        if (events > 0) {
            handle.eventsSent(events);
        }
        batch.clear(); // let the responses go
        return true;
    }

    /** Accounts for a response taken from the queue and returns it. */
    private WatchResponse taken(Item item) {
        pendingResponses.decrementAndGet();
        if (item.endsBatch()) {
            pendingBatches.decrementAndGet();
        }
        return item.response();
    }

    /** Event responses go out pre-encoded: each event is serialized once for all watchers of the stream. */
    private Future<Void> write(WatchResponse r) {
        if (encoder == null) {
            return response.write(r);
        }
        return response.writeMessage(GrpcMessage.message("identity", Buffer.buffer(encoder.encode(r))));
    }

    private void close() {
        if (closed.compareAndSet(false, true)) {
            handle.close();
            discardQueued();
        }
    }

    /** Drops what is queued, reporting its events as dropped (each item is taken by one caller). */
    private void discardQueued() {
        int dropped = 0;
        Item item;
        while ((item = queue.poll()) != null) {
            dropped += item.response().getEventsCount();
        }
        if (dropped > 0) {
            handle.eventsDropped(dropped);
        }
    }
}
