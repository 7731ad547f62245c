package io.keel.backend.grpc;

import io.keel.api.etcdserverpb.WatchRequest;
import io.keel.api.etcdserverpb.WatchResponse;
import io.keel.api.etcdserverpb.WatchService;
import io.keel.server.errors.EtcdError;
import io.keel.server.watch.WatchHub;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * etcd's Watch service: each bidirectional stream becomes a {@link GrpcWatchStream} bound to the
 * member's {@link WatchHub}. The event loop only decodes requests into hub commands and writes the
 * responses the hub queued; the hub's own thread reads the store. Thread-safe.
 */
public final class WatchRpcs extends WatchService {
    private final WatchHub hub;
    private final BooleanSupplier learner;
    private final StreamMessages.Method messages;

    /**
     * @param learner  whether this member is a learner now; its new streams are refused then
     * @param messages counts every request and response of each stream
     */
    public WatchRpcs(WatchHub hub, BooleanSupplier learner, StreamMessages messages) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.learner = Objects.requireNonNull(learner, "learner");
        this.messages = messages.method("/etcdserverpb.Watch/Watch");
    }

    @Override
    @SuppressWarnings("unchecked") // the generated service hands over the gRPC server stream itself
    protected void watch(ReadStream<WatchRequest> request, WriteStream<WatchResponse> response) {
        if (!(request instanceof GrpcServerRequest<?, ?>) || !(response instanceof GrpcServerResponse<?, ?>)) {
            throw new IllegalStateException("the Watch service needs a gRPC server stream");
        }
        if (learner.getAsBoolean()) {
            // etcd's stream interceptor: a learner serves no Watch stream.
            ((GrpcServerResponse<?, ?>) response).fail(
                    GrpcErrors.toStatusException(EtcdError.NOT_SUPPORTED_FOR_LEARNER.exception()));
            return;
        }
        GrpcWatchStream.start(Vertx.currentContext(), hub, messages, (GrpcServerRequest<WatchRequest, WatchResponse>) request,
                (GrpcServerResponse<WatchRequest, WatchResponse>) response);
    }
}
