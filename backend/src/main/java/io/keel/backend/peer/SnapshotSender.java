package io.keel.backend.peer;

import com.google.protobuf.UnsafeByteOperations;
import io.keel.api.peer.v1.RaftMessage;
import io.keel.api.peer.v1.RaftTransportGrpcClient;
import io.keel.api.peer.v1.SnapshotAck;
import io.keel.api.peer.v1.SnapshotChunk;
import io.keel.api.peer.v1.SnapshotHeader;
import io.keel.raft.Message;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;

/**
 * Sends one snapshot-carrying message to one peer on its own call: a header chunk, then the data
 * in slices, honouring the stream's back-pressure, then reports the outcome. Owned by a
 * {@link PeerSender}; confined to the transport's Vert.x context.
 */
final class SnapshotSender {
    private final long peerId;
    private final SocketAddress address;
    private final PeerTransportConfig config;
    private final GrpcClient client;
    private final PeerStatusListener listener;

    SnapshotSender(long peerId, SocketAddress address, PeerTransportConfig config, GrpcClient client,
                   PeerStatusListener listener) {
        this.peerId = peerId;
        this.address = address;
        this.config = config;
        this.client = client;
        this.listener = listener;
    }

    void send(Message m) {
        byte[] data = m.snapshot().data();
        RaftMessage withoutData = PeerMessageCodec.encode(m).toBuilder()
                .setSnapshot(PeerMessageCodec.encode(m.snapshot()).toBuilder().clearData()).build();
        client.request(address, RaftTransportGrpcClient.SendSnapshot).onComplete(ar -> {
            if (ar.failed()) {
                failed();
                return;
            }
            GrpcClientRequest<SnapshotChunk, SnapshotAck> req = ar.result();
            PeerHeaders.stamp(req.headers(), config, peerId);
            req.response().compose(r -> r.last()).onComplete(done -> {
                if (done.succeeded() && done.result().getDelivered()) {
                    listener.snapshotStatus(peerId, true);
                } else {
                    failed();
                }
            });
            req.write(SnapshotChunk.newBuilder().setHeader(SnapshotHeader.newBuilder().setMessage(withoutData)
                    .setDataSizeBytes(data.length)).build());
            writeFrom(req, data, 0);
        });
    }

    private void writeFrom(GrpcClientRequest<SnapshotChunk, SnapshotAck> req, byte[] data, int offset) {
        int next = offset;
        while (next < data.length && !req.writeQueueFull()) {
            int len = Math.min(config.snapshotChunkBytes(), data.length - next);
            req.write(SnapshotChunk.newBuilder().setData(UnsafeByteOperations.unsafeWrap(data, next, len)).build());
            next += len;
        }
        if (next < data.length) {
            int resumeAt = next;
            req.drainHandler(v -> writeFrom(req, data, resumeAt));
        } else {
            req.end();
        }
    }

    private void failed() {
        listener.snapshotStatus(peerId, false);
        listener.unreachable(peerId);
    }
}
