package io.keel.backend.grpc;

import io.keel.api.etcdserverpb.AlarmRequest;
import io.keel.api.etcdserverpb.AlarmResponse;
import io.keel.api.etcdserverpb.DefragmentRequest;
import io.keel.api.etcdserverpb.DefragmentResponse;
import io.keel.api.etcdserverpb.DowngradeRequest;
import io.keel.api.etcdserverpb.DowngradeResponse;
import io.keel.api.etcdserverpb.HashKVRequest;
import io.keel.api.etcdserverpb.HashKVResponse;
import io.keel.api.etcdserverpb.HashRequest;
import io.keel.api.etcdserverpb.HashResponse;
import io.keel.api.etcdserverpb.MaintenanceService;
import io.keel.api.etcdserverpb.MoveLeaderRequest;
import io.keel.api.etcdserverpb.MoveLeaderResponse;
import io.keel.api.etcdserverpb.SnapshotRequest;
import io.keel.api.etcdserverpb.SnapshotResponse;
import io.keel.api.etcdserverpb.StatusRequest;
import com.google.protobuf.ByteString;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.server.GrpcServerResponse;
import io.keel.api.etcdserverpb.StatusResponse;
import io.keel.backend.handoff.BoundedHandoff;
import io.keel.server.maintenance.MaintenanceBackend;
import io.vertx.core.Future;
import java.util.Objects;

/**
 * The unary etcd Maintenance methods on the event loop, handing each call to the
 * {@link MaintenanceBackend}, and the Snapshot stream. Owned by {@link EtcdGrpcServer};
 * thread-safe.
 */
public final class MaintenanceRpcs extends MaintenanceService {
    /** etcd sends the snapshot in 32 KiB messages. */
    static final int SNAPSHOT_CHUNK_BYTES = 32 * 1024;

    private final MaintenanceBackend backend;
    private final BoundedHandoff handoff;
    private final StreamMessages.Method snapshotMessages;

    public MaintenanceRpcs(MaintenanceBackend backend, BoundedHandoff handoff) {
        this(backend, handoff, StreamMessages.NONE);
    }

    /** @param messages counts every message of each Snapshot stream */
    public MaintenanceRpcs(MaintenanceBackend backend, BoundedHandoff handoff, StreamMessages messages) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.handoff = Objects.requireNonNull(handoff, "handoff");
        this.snapshotMessages = messages.method("/etcdserverpb.Maintenance/Snapshot");
    }

    @Override
    public Future<AlarmResponse> alarm(AlarmRequest request) {
        return HandedOffCall.run(handoff, () -> backend.alarm(request));
    }

    @Override
    public Future<StatusResponse> status(StatusRequest request) {
        return HandedOffCall.run(handoff, () -> backend.status(request));
    }

    @Override
    public Future<DefragmentResponse> defragment(DefragmentRequest request) {
        return HandedOffCall.run(handoff, () -> backend.defragment(request));
    }

    @Override
    public Future<HashResponse> hash(HashRequest request) {
        return HandedOffCall.run(handoff, () -> backend.hash(request));
    }

    @Override
    public Future<HashKVResponse> hashKV(HashKVRequest request) {
        return HandedOffCall.run(handoff, () -> backend.hashKV(request));
    }

    @Override
    public Future<MoveLeaderResponse> moveLeader(MoveLeaderRequest request) {
        return HandedOffCall.run(handoff, () -> backend.moveLeader(request));
    }

    @Override
    public Future<DowngradeResponse> downgrade(DowngradeRequest request) {
        return HandedOffCall.run(handoff, () -> backend.downgrade(request));
    }

    /**
     * Streams the snapshot file in chunks with back-pressure (the file is paused while the
     * client's window is full), each message saying how many bytes remain, as etcd's does.
     */
    @Override
    protected void snapshot(SnapshotRequest request, WriteStream<SnapshotResponse> response) {
        Vertx vertx = Vertx.currentContext().owner();
        HandedOffCall.run(handoff, backend::snapshot).onComplete(ar -> {
            if (ar.failed()) {
                fail(response, ar.cause());
                return;
            }
            MaintenanceBackend.SnapshotFile snap = ar.result();
            vertx.fileSystem().open(snap.path().toString(), new OpenOptions().setRead(true).setWrite(false))
                    .onFailure(t -> {
                        delete(vertx, snap);
                        fail(response, t);
                    })
                    .onSuccess(file -> pump(vertx, snap, file, response, snapshotMessages));
        });
    }

    private static void pump(Vertx vertx, MaintenanceBackend.SnapshotFile snap, AsyncFile file,
                             WriteStream<SnapshotResponse> response, StreamMessages.Method messages) {
        long[] remaining = {snap.sizeBytes()};
        file.setReadBufferSize(SNAPSHOT_CHUNK_BYTES);
        file.handler(chunk -> {
            remaining[0] -= chunk.length();
            response.write(SnapshotResponse.newBuilder().setRemainingBytes(remaining[0])
                    .setBlob(ByteString.copyFrom(chunk.getBytes())).build());
            messages.sent();
            if (response.writeQueueFull()) {
                file.pause();
                response.drainHandler(v -> file.resume());
            }
        });
        file.exceptionHandler(t -> {
            file.close();
            delete(vertx, snap);
            fail(response, t);
        });
        file.endHandler(v -> {
            file.close();
            delete(vertx, snap);
            response.end();
        });
    }

    private static void delete(Vertx vertx, MaintenanceBackend.SnapshotFile snap) {
        vertx.fileSystem().delete(snap.path().toString());
    }

    private static void fail(WriteStream<SnapshotResponse> response, Throwable cause) {
        if (response instanceof GrpcServerResponse<?, ?> grpc) {
            grpc.fail(GrpcErrors.toStatusException(cause));
        } else {
            response.end();
        }
    }
}
