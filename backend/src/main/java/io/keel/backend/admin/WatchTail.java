package io.keel.backend.admin;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.WatchCreateRequest;
import io.keel.api.etcdserverpb.WatchResponse;
import io.keel.api.mvccpb.Event;
import io.keel.api.mvccpb.KeyValue;
import io.keel.server.errors.EtcdError;
import io.keel.server.watch.WatchHub;
import io.keel.server.watch.WatchSink;
import io.keel.server.watch.WatchStreamHandle;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/watch?prefix=P&startRevision=R}: the console's live tail, one watcher on the
 * member's {@link WatchHub} (as a gRPC Watch stream has) streamed as Server-Sent Events:
 * {@code created}, one {@code message} per event ({@code {type, key, value, valueSize, revision,
 * version}}, values cut to a preview), {@code canceled} (compaction, then the stream ends). The hub
 * thread offers responses into a bounded buffer (refused past {@link #MAX_PENDING_BATCHES}, so a
 * slow browser's watcher catches up later from the store, as a slow gRPC stream's does); the
 * connection's event loop writes them while the socket takes them. Closing the connection cancels
 * the watcher. Thread-safe: offers from the hub thread, everything else on the request's context.
 */
final class WatchTail implements WatchSink {
    static final String PATH = "/api/watch";
    static final int MAX_PENDING_BATCHES = 64;
    /** Values longer than this are cut: the tail is for watching, the key browser shows values. */
    static final int VALUE_PREVIEW_CHARS = 200;

    private final Context context;
    private final HttpServerResponse response;
    private final Queue<Item> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingBatches = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private WatchStreamHandle handle;

    private record Item(WatchResponse response, boolean endsBatch) {
    }

    private WatchTail(Context context, HttpServerResponse response) {
        this.context = context;
        this.response = response;
    }

    /** Answers {@code req} with the event stream (on its event loop). */
    static void start(WatchHub hub, HttpServerRequest req) {
        WatchCreateRequest create;
        try {
            create = createRequest(req.getParam("prefix", ""), req.getParam("startRevision", "0"));
        } catch (IllegalArgumentException e) {
            AdminReply.json(req, 400, new JsonObject().put("error", e.getMessage()));
            return;
        }
        WatchTail tail = new WatchTail(Vertx.currentContext(), req.response());
        tail.handle = hub.open(tail);
        if (tail.handle == null || !tail.handle.create(create)) {
            if (tail.handle != null) {
                tail.handle.close();
            }
            AdminReply.json(req, 429, new JsonObject().put("error", EtcdError.TOO_MANY_REQUESTS.exception().getMessage()));
            return;
        }
        HttpServerResponse resp = req.response();
        resp.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no");
        resp.closeHandler(v -> tail.close());
        resp.exceptionHandler(t -> tail.close());
        resp.drainHandler(v -> tail.drain());
        resp.write(": watching\n\n");
    }

    static WatchCreateRequest createRequest(String prefix, String startRevision) {
        long start;
        try {
            start = Long.parseLong(startRevision.isEmpty() ? "0" : startRevision);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("startRevision is not a number: " + startRevision);
        }
        if (start < 0) {
            throw new IllegalArgumentException("startRevision must not be negative: " + start);
        }
        ByteString key = ByteString.copyFromUtf8(prefix);
        // The whole key space, as etcdctl watch --prefix "" asks for it: from "\0" with range end "\0".
        ByteString end = key.isEmpty() ? ByteString.copyFrom(new byte[] {0}) : KeyBrowser.prefixEnd(key);
        if (key.isEmpty()) {
            key = end;
        }
        return WatchCreateRequest.newBuilder().setKey(key).setRangeEnd(end).setStartRevision(start).build();
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
        for (int i = 0; i < responses.size(); i++) {
            queue.add(new Item(responses.get(i), i == responses.size() - 1));
        }
        scheduleDrain();
        return true;
    }

    @Override
    public void offerControl(WatchResponse r) {
        // Progress notifications say nothing the tail shows; the rest answer our one create.
        if (!closed.get() && (r.getCreated() || r.getCanceled())) {
            queue.add(new Item(r, false));
            scheduleDrain();
        }
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> drain());
        }
    }

    private void drain() {
        drainScheduled.set(false);
        while (!closed.get() && !response.writeQueueFull()) {
            Item item = queue.poll();
            if (item == null) {
                return;
            }
            WatchResponse r = item.response();
            if (item.endsBatch()) {
                pendingBatches.decrementAndGet();
            }
            if (r.getCreated()) {
                send("created", new JsonObject().put("revision", r.getHeader().getRevision()));
            } else if (r.getCanceled()) {
                send("canceled", new JsonObject().put("reason", r.getCancelReason())
                        .put("compactRevision", r.getCompactRevision()));
                close();
                response.end();
                return;
            } else {
                for (Event e : r.getEventsList()) {
                    send(null, event(e));
                }
            }
        }
    }

    private void send(String type, JsonObject data) {
        response.write((type == null ? "" : "event: " + type + "\n") + "data: " + data.encode() + "\n\n")
                .onFailure(t -> close());
    }

    static JsonObject event(Event e) {
        KeyValue kv = e.getKv();
        return new JsonObject().put("type", e.getType().name()).put("key", text(kv.getKey()))
                .put("value", preview(kv.getValue())).put("valueSize", kv.getValue().size())
                .put("revision", kv.getModRevision()).put("version", kv.getVersion());
    }

    /** The value as text when it is UTF-8, else as hex; at most {@link #VALUE_PREVIEW_CHARS} characters. */
    static String preview(ByteString value) {
        String s = text(value);
        return s.length() <= VALUE_PREVIEW_CHARS ? s : s.substring(0, VALUE_PREVIEW_CHARS) + "…";
    }

    private static String text(ByteString b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return "0x" + HexFormat.of().formatHex(b.substring(0, Math.min(b.size(), VALUE_PREVIEW_CHARS / 2))
                    .toByteArray());
        }
    }

    private void close() {
        if (closed.compareAndSet(false, true)) {
            handle.close();
            queue.clear();
        }
    }
}
