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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(PeerSender.class);
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
    /** Whether the last dial succeeded and its stream still stands (etcd's "peer became active/inactive"). */
    private volatile boolean active;
    /** Dialling without a message until the first stream stands (see {@link #warmUp}). */
    private boolean warming;
    private long firstDialNanos;
    /** The last dial or stream failed and none stands since: vote requests are dropped, not held. */
    private volatile boolean down;
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
        if (down && isVoteRequest(m.type())) {
            // As etcd, whose sender drops what it cannot deliver now: a vote request held until
            // the peer is back would arrive with every other member's (a restarted cluster's
            // members all campaign while the connections come up), making them candidates at once
            // and splitting the vote. The next election timeout asks again; Raft tolerates loss.
            traffic.sendFailed(peerId, m.type());
            context.runOnContext(v -> {
                listener.unreachable(peerId);
                // Nothing else may be queued to make the sender redial (a member that only
                // campaigns sends only these): dial now so that the next request can travel.
                if (!stopped && stream == null) {
                    connect();
                }
            });
            return false;
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

    /**
     * Dials the peer now, with nothing to send, and again every redial delay until it answers, as
     * etcd's peer streams connect when the peer is added rather than with the first message. A
     * restarted member's first vote requests then find the connection (and the client's classes)
     * ready instead of paying for the dial while the election waits. A failed warm-up dial is not
     * reported: no message was lost. On the context.
     */
    void warmUp() {
        if (stopped || stream != null) {
            return;
        }
        warming = true;
        connect();
    }

    /** Whether a stream to the peer stands now. Any thread. */
    boolean active() {
        return active;
    }

    private static boolean isVoteRequest(MessageType type) {
        return type == MessageType.PRE_VOTE || type == MessageType.VOTE;
    }

    /** Whether the peer is known unreachable (the last dial or stream failed). Any thread. */
    boolean down() {
        return down;
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
        if (!active && firstDialNanos == 0) {
            firstDialNanos = System.nanoTime();
        }
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
            warming = false;
            down = false;
            if (!active) {
                // Logged once per inactive-to-active change: a restart's election waits for these.
                active = true;
                LOG.atInfo().addKeyValue("peer-id", io.keel.server.membership.MemberIds.toHex(peerId))
                        .addKeyValue("since-first-dial", (System.nanoTime() - firstDialNanos) / 1_000_000 + "ms")
                        .log("peer became active");
                firstDialNanos = 0;
                listener.active(peerId);
            }
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
        down = true;
        queue.removeIf(m -> isVoteRequest(m.type()));
        if (active) {
            active = false;
            LOG.atInfo().addKeyValue("peer-id", io.keel.server.membership.MemberIds.toHex(peerId)).log("peer became inactive");
        }
        if (which != null || !warming || !queue.isEmpty()) {
            traffic.sendFailed(peerId, null);
            listener.unreachable(peerId);
        }
        context.owner().setTimer(config.reconnectDelayMs(), t -> {
            if (stopped) {
                return;
            }
            if (!queue.isEmpty()) {
                flush();
            } else if (warming) {
                warmUp();
            }
        });
    }
}
