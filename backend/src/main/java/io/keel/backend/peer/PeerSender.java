package io.keel.backend.peer;

import io.keel.api.peer.v1.RaftMessage;
import io.keel.api.peer.v1.RaftTransportGrpcClient;
import io.keel.api.peer.v1.StreamSummary;
import io.keel.raft.Message;
import io.keel.raft.MessageType;
import io.vertx.core.Context;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The outgoing side for one peer: a bounded queue (a full queue drops the message and reports the
 * peer unreachable, as etcd does) drained into one long-lived gRPC stream, redialled after a delay
 * when it fails. What is queued at a write round travels together, adjacent messages that the peer
 * would handle as one merged first ({@link MessageCoalescing}). Snapshot-carrying messages go through {@link SnapshotSender} on their own call.
 *
 * <p>Owned by {@link PeerTransport}. {@link #enqueue} is thread-safe (the Raft thread calls it);
 * everything else runs on the transport's single Vert.x context.
 */
final class PeerSender {
    /** Messages taken from the queue per write round; bounds what one round writes past a full queue. */
    static final int MAX_BATCH_MESSAGES = 256;
    private final long peerId;
    private final SocketAddress address;
    private final PeerTransportConfig config;
    private final Context context;
    private final GrpcClient client;
    private final PeerStatusListener listener;
    private final BlockingQueue<Message> queue;
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final SnapshotSender snapshots;
    private final Supplier<PeerTraceHooks> traceHooks;

    // Confined to the context.
    private final List<Message> batch = new ArrayList<>();
    private GrpcClientRequest<RaftMessage, StreamSummary> stream;
    private boolean connecting;
    private boolean stopped;
    private final PeerTrafficObserver traffic;

    PeerSender(long peerId, SocketAddress address, PeerTransportConfig config, Context context, GrpcClient client,
               PeerStatusListener listener, Supplier<PeerTraceHooks> traceHooks, PeerTrafficObserver traffic) {
        this.traceHooks = traceHooks;
        this.traffic = traffic;
        this.peerId = peerId;
        this.address = address;
        this.config = config;
        this.context = context;
        this.client = client;
        this.listener = listener;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.snapshots = new SnapshotSender(peerId, address, config, client, listener);
    }

    /** Queues a message; false (and an unreachable report) when the queue is full. Any thread. */
    boolean enqueue(Message m) {
        if (m.type() == MessageType.SNAP) {
            context.runOnContext(v -> snapshots.send(m));
            return true;
        }
        if (!queue.offer(m)) {
            dropped.incrementAndGet();
            traffic.sendFailed(peerId, m.type());
            context.runOnContext(v -> listener.unreachable(peerId));
            return false;
        }
        if (flushScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> flush());
        }
        return true;
    }

    long droppedMessages() {
        return dropped.get();
    }

    void stop() {
        stopped = true;
        if (stream != null) {
            stream.cancel();
            stream = null;
        }
        queue.clear();
    }

    private void flush() {
        flushScheduled.set(false);
        if (stopped || queue.isEmpty()) {
            return;
        }
        if (stream == null) {
            connect();
            return;
        }
        while (!stream.writeQueueFull()) {
            // What is queued now travels together: adjacent messages that the peer would handle as
            // one are merged first (MessageCoalescing), then written in send order.
            queue.drainTo(batch, MAX_BATCH_MESSAGES);
            if (batch.isEmpty()) {
                return;
            }
            try {
                MessageCoalescing.coalesce(batch);
                for (Message m : batch) {
                    RaftMessage encoded = traceHooks.get().outgoing(m, PeerMessageCodec.encode(m));
                    stream.write(encoded);
                    traffic.sent(peerId, m.type(), encoded.getSerializedSize());
                }
            } finally {
                batch.clear(); // a write that throws (a failed stream) loses this round, as Raft allows
            }
        }
        stream.drainHandler(v -> flush());
    }

    private void connect() {
        if (connecting) {
            return;
        }
        connecting = true;
        client.request(address, RaftTransportGrpcClient.Stream).onComplete(ar -> {
            connecting = false;
            if (stopped) {
                if (ar.succeeded()) {
                    ar.result().cancel();
                }
                return;
            }
            if (ar.failed()) {
                lost(null);
                return;
            }
            GrpcClientRequest<RaftMessage, StreamSummary> req = ar.result();
            PeerHeaders.stamp(req.headers(), config, peerId);
            req.exceptionHandler(t -> lost(req));
            req.response().compose(r -> r.last()).onComplete(done -> lost(req));
            stream = req;
            flush();
        });
    }

    /** The stream (or the dial) failed: report, forget it, and redial later if work is waiting. */
    private void lost(GrpcClientRequest<RaftMessage, StreamSummary> which) {
        if (which != null && which != stream) {
            return;
        }
        stream = null;
        if (stopped) {
            return;
        }
        traffic.sendFailed(peerId, null);
        listener.unreachable(peerId);
        context.owner().setTimer(config.reconnectDelayMs(), t -> {
            if (!stopped && !queue.isEmpty()) {
                flush();
            }
        });
    }
}
