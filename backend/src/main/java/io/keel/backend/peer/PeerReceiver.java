package io.keel.backend.peer;

import io.keel.api.peer.v1.RaftMessage;
import io.keel.api.peer.v1.RaftTransportGrpcService;
import io.keel.api.peer.v1.SnapshotAck;
import io.keel.api.peer.v1.SnapshotChunk;
import io.keel.api.peer.v1.StreamSummary;
import io.keel.raft.Message;
import io.keel.raft.Snapshot;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.function.Supplier;

/**
 * The incoming side: serves keel.peer.v1.RaftTransport, refuses calls from another cluster or
 * for another member, decodes messages and hands them to the {@link PeerMessageSink} in arrival
 * order; reassembles snapshot calls before handing on their message. Owned by {@link PeerTransport};
 * its handlers run on event loops.
 */
final class PeerReceiver {
    private final PeerTransportConfig config;
    private final PeerMessageSink sink;
    private final Supplier<PeerTraceHooks> traceHooks;
    private final PeerTrafficObserver traffic;

    PeerReceiver(PeerTransportConfig config, PeerMessageSink sink, Supplier<PeerTraceHooks> traceHooks,
                 PeerTrafficObserver traffic) {
        this.traffic = traffic;
        this.config = config;
        this.sink = sink;
        this.traceHooks = traceHooks;
    }

    GrpcServer grpcServer(Vertx vertx) {
        GrpcServer server = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(config.maxMessageBytes()));
        server.callHandler(RaftTransportGrpcService.Stream, this::stream);
        server.callHandler(RaftTransportGrpcService.SendSnapshot, this::snapshot);
        return server;
    }

    private boolean refused(GrpcServerRequest<?, ?> req) {
        String why = PeerHeaders.refusal(req.headers(), config);
        if (why == null) {
            return false;
        }
        req.response().status(GrpcStatus.FAILED_PRECONDITION).statusMessage(why).end();
        return true;
    }

    private void stream(GrpcServerRequest<RaftMessage, StreamSummary> req) {
        if (refused(req)) {
            return;
        }
        long[] received = {0};
        req.handler(w -> {
            received[0]++;
            traceHooks.get().incoming(w);
            Message m = PeerMessageCodec.decode(w);
            traffic.received(m.from(), m.type(), w.getSerializedSize());
            sink.deliver(m);
        });
        req.endHandler(v -> req.response().end(StreamSummary.newBuilder().setReceived(received[0]).build()));
    }

    private void snapshot(GrpcServerRequest<SnapshotChunk, SnapshotAck> req) {
        if (refused(req)) {
            return;
        }
        SnapshotAssembly assembly = new SnapshotAssembly(config.maxSnapshotBytes());
        req.handler(chunk -> {
            String error = assembly.add(chunk);
            if (error != null && !assembly.failed) {
                assembly.failed = true;
                req.response().status(GrpcStatus.INVALID_ARGUMENT).statusMessage(error).end();
            }
        });
        req.endHandler(v -> {
            if (assembly.failed) {
                return;
            }
            String error = assembly.finish();
            if (error != null) {
                req.response().status(GrpcStatus.INVALID_ARGUMENT).statusMessage(error).end();
                return;
            }
            sink.deliver(assembly.message());
            req.response().end(SnapshotAck.newBuilder().setDelivered(true).build());
        });
    }

    /** The parts of one snapshot call as they arrive; confined to the call's event loop. */
    private static final class SnapshotAssembly {
        private final long maxBytes;
        private RaftMessage header;
        private byte[] data;
        private int filled;
        boolean failed;

        SnapshotAssembly(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        /** Adds a chunk; returns an error text when the call is malformed. */
        String add(SnapshotChunk chunk) {
            if (chunk.hasHeader()) {
                if (header != null) {
                    return "second snapshot header";
                }
                long size = chunk.getHeader().getDataSizeBytes();
                if (size > maxBytes) {
                    return "snapshot of " + size + " bytes is over the limit of " + maxBytes;
                }
                header = chunk.getHeader().getMessage();
                data = new byte[(int) size];
                return null;
            }
            if (header == null) {
                return "snapshot data before its header";
            }
            int len = chunk.getData().size();
            if (len > data.length - filled) {
                return "more snapshot data than announced";
            }
            chunk.getData().copyTo(data, filled);
            filled += len;
            return null;
        }

        String finish() {
            if (header == null) {
                return "snapshot call without header";
            }
            return filled == data.length ? null : "snapshot data cut short";
        }

        Message message() {
            Message m = PeerMessageCodec.decode(header);
            return new Message(m.type(), m.to(), m.from(), m.term(), m.logTerm(), m.index(), m.entries(), m.commit(),
                    new Snapshot(m.snapshot().metadata(), data), m.reject(), m.rejectHint(), m.context(), m.commitOnly());
        }
    }
}
