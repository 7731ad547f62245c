package io.keel.backend.peer;

import io.keel.backend.http.FlushCoalescing;
import io.keel.raft.Message;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.server.GrpcServer;
import java.net.URI;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Raft messages between Keel members over gRPC streams on the peer URLs. Sending: one bounded
 * queue and one stream per peer ({@link PeerSender}); snapshot messages on their own calls.
 * Receiving: a gRPC server on the listen URL hands messages to a {@link PeerMessageSink}.
 *
 * <p>Owned by the member's server. Thread-safe: {@link #send}, {@link #addPeer} and
 * {@link #removePeer} may be called from any thread (the Raft thread sends); network work runs
 * on one Vert.x context.
 */
public final class PeerTransport {
    private final Vertx vertx;
    private final PeerTransportConfig config;
    private final PeerStatusListener listener;
    private final PeerReceiver receiver;
    private final Context context;
    private final HttpClient http;
    private final GrpcClient client;
    private final Map<Long, PeerSender> senders = new ConcurrentHashMap<>();
    private volatile HttpServer server;
    private volatile PeerTraceHooks traceHooks = PeerTraceHooks.NONE;
    private volatile PeerTrafficObserver observer = PeerTrafficObserver.NONE;
    /** Hands events to whichever observer is plugged in now; given to senders and the receiver. */
    private final PeerTrafficObserver traffic = new PeerTrafficObserver() {
        @Override
        public void sent(long peerId, io.keel.raft.MessageType type, int bytes) {
            observer.sent(peerId, type, bytes);
        }

        @Override
        public void received(long peerId, io.keel.raft.MessageType type, int bytes) {
            observer.received(peerId, type, bytes);
        }

        @Override
        public void sendFailed(long peerId, io.keel.raft.MessageType typeOrNull) {
            observer.sendFailed(peerId, typeOrNull);
        }
    };
    private volatile io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> httpHandler;

    public PeerTransport(Vertx vertx, PeerTransportConfig config, PeerMessageSink sink, PeerStatusListener listener) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config").validate();
        this.listener = Objects.requireNonNull(listener, "listener");
        this.receiver = new PeerReceiver(config, Objects.requireNonNull(sink, "sink"), () -> traceHooks, traffic);
        this.context = vertx.getOrCreateContext();
        // Flushes coalesced per event-loop round: a sender draining its queue writes one frame per
        // message, and each would otherwise be a write system call of its own (the largest CPU
        // cost on every member under load). The client only reads small stream summaries back,
        // so gRPC's default inbound message limit is enough here.
        this.http = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false))
                .withConnectHandler(FlushCoalescing::install)
                .build();
        this.client = GrpcClient.client(vertx, http);
    }

    /** Lets tracing carry span context in the messages this transport sends and receives. */
    public void traceWith(PeerTraceHooks hooks) {
        this.traceHooks = Objects.requireNonNull(hooks, "hooks");
    }

    /**
     * Serves plain HTTP requests on the peer port with {@code handler} (etcd's peer endpoints such
     * as {@code GET /members}); gRPC calls still go to Raft. Set before {@link #listen}.
     */
    public void httpHandler(io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler) {
        this.httpHandler = handler;
    }

    /** Starts serving peers on {@code url}; completes with the bound port (the URL may say port 0). */
    public Future<Integer> listen(URI url) {
        GrpcServer grpc = receiver.grpcServer(vertx);
        HttpServer s = vertx.createHttpServer(new HttpServerOptions().setHost(url.getHost()).setPort(url.getPort()))
                .connectionHandler(FlushCoalescing::install)
                .requestHandler(req -> {
                    String type = req.getHeader("content-type");
                    var http = httpHandler;
                    if (http != null && (type == null || !type.startsWith("application/grpc"))) {
                        http.handle(req);
                    } else {
                        grpc.handle(req);
                    }
                });
        server = s;
        return s.listen().map(HttpServer::actualPort);
    }

    /** Starts sending to {@code peerId} at {@code peerUrl} (no-op if known), dialling it now ({@link PeerSender#warmUp}). */
    public void addPeer(long peerId, URI peerUrl) {
        boolean[] added = {false};
        PeerSender sender = senders.computeIfAbsent(peerId, id -> {
            added[0] = true;
            return new PeerSender(id, SocketAddress.inetSocketAddress(peerUrl.getPort(), peerUrl.getHost()), config,
                    context, client, listener, () -> traceHooks, traffic);
        });
        if (added[0]) {
            context.runOnContext(v -> sender.warmUp());
        }
    }

    /** Plugs in what watches peer traffic (the member's metrics). Any thread. */
    public void setTrafficObserver(PeerTrafficObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** Stops sending to {@code peerId}; queued messages are dropped. */
    public void removePeer(long peerId) {
        PeerSender s = senders.remove(peerId);
        if (s != null) {
            context.runOnContext(v -> s.stop());
        }
    }

    /**
     * Queues each message for its receiver. Messages to unknown peers, and messages over a peer's
     * queue bound, are dropped and the peer is reported unreachable. Any thread; never blocks.
     */
    public void send(Collection<Message> messages) {
        for (Message m : messages) {
            if (m.type().isLocal()) {
                throw new IllegalArgumentException("local message must not leave the member: " + m);
            }
            PeerSender s = senders.get(m.to());
            if (s == null) {
                context.runOnContext(v -> listener.unreachable(m.to()));
            } else {
                s.enqueue(m);
            }
        }
    }

    /** Whether a stream to {@code peerId} stands now (etcd's active peer). Any thread. */
    public boolean peerActive(long peerId) {
        PeerSender s = senders.get(peerId);
        return s != null && s.active();
    }

    /** Whether the last dial or stream to {@code peerId} failed, none standing since. Any thread. */
    boolean peerDown(long peerId) {
        PeerSender s = senders.get(peerId);
        return s != null && s.down();
    }

    /** Messages to {@code peerId} dropped because its queue was full. */
    public long droppedMessages(long peerId) {
        PeerSender s = senders.get(peerId);
        return s == null ? 0 : s.droppedMessages();
    }

    public Future<Void> stop() {
        Future<Void> stopped = Future.future(p -> context.runOnContext(v -> {
            senders.values().forEach(PeerSender::stop);
            senders.clear();
            p.complete();
        }));
        HttpServer s = server;
        return stopped.compose(v -> s == null ? Future.succeededFuture() : s.close()).eventually(client::close)
                .eventually(http::close);
    }
}
