package io.keel.backend.grpc;

import io.keel.api.v3lockpb.LockRequest;
import io.keel.api.v3lockpb.LockResponse;
import io.keel.api.v3lockpb.LockService;
import io.keel.api.v3lockpb.UnlockRequest;
import io.keel.api.v3lockpb.UnlockResponse;
import io.keel.server.lock.LockServer;
import io.vertx.core.Future;
import java.util.Objects;

/** etcd's v3lock service on the event loop, answered by the {@link LockServer}. Thread-safe. */
public final class LockRpcs extends LockService {
    private final LockServer server;

    public LockRpcs(LockServer server) {
        this.server = Objects.requireNonNull(server, "server");
    }

    @Override
    public Future<LockResponse> lock(LockRequest request) {
        return GrpcErrors.mapped(Future.fromCompletionStage(server.lock(request)));
    }

    @Override
    public Future<UnlockResponse> unlock(UnlockRequest request) {
        return GrpcErrors.mapped(Future.fromCompletionStage(server.unlock(request)));
    }
}
