package io.keel.backend.grpc;

import io.keel.api.health.v1.HealthCheckRequest;
import io.keel.api.health.v1.HealthCheckResponse;
import io.keel.api.health.v1.HealthCheckResponse.ServingStatus;
import io.keel.api.health.v1.HealthService;
import io.keel.server.health.HealthProbe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.Objects;
import java.util.Set;

/**
 * grpc.health.v1 Check for the whole server (service name ""): SERVING when the member's /health
 * verdict (serializable) is healthy, NOT_SERVING otherwise. Other service names are unknown
 * (NOT_FOUND), as in gRPC's reference health server. Watch is not bound. Thread-safe.
 */
public final class HealthRpcs extends HealthService {
    private final HealthProbe probe;

    public HealthRpcs(HealthProbe probe) {
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    @Override
    public Future<HealthCheckResponse> check(HealthCheckRequest request) {
        if (!request.getService().isEmpty()) {
            return Future.failedFuture(new StatusException(GrpcStatus.NOT_FOUND, "unknown service"));
        }
        return GrpcErrors.mapped(Future.fromCompletionStage(probe.health(true, Set.of()), Vertx.currentContext()).map(h ->
                HealthCheckResponse.newBuilder()
                        .setStatus(h.healthy() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING).build()));
    }
}
