package io.keel.backend.grpc;

import io.keel.api.etcdserverpb.AuthGrpcService;
import io.keel.api.etcdserverpb.AuthService;
import io.keel.api.etcdserverpb.ClusterGrpcService;
import io.keel.api.etcdserverpb.KVGrpcService;
import io.keel.api.etcdserverpb.LeaseGrpcService;
import io.keel.api.etcdserverpb.LeaseService;
import io.keel.api.etcdserverpb.MaintenanceGrpcService;
import io.keel.api.etcdserverpb.WatchGrpcService;
import io.keel.api.etcdserverpb.WatchService;
import io.keel.api.health.v1.HealthGrpcService;
import io.keel.api.v3electionpb.ElectionGrpcService;
import io.keel.api.v3electionpb.ElectionService;
import io.keel.api.v3lockpb.LockGrpcService;
import io.keel.api.v3lockpb.LockService;
import io.keel.backend.handoff.BoundedHandoff;
import io.keel.server.ServerBackends;
import io.keel.server.observe.Observability;
import io.keel.server.election.ElectionServer;
import io.keel.server.lock.DeletionWaiter;
import io.keel.server.lock.LockServer;
import io.keel.server.lock.SessionLease;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.Service;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the client-facing gRPC server: every etcd service plus grpc.health.v1 is registered;
 * a method is bound only when a back end serves it, so every other method answers UNIMPLEMENTED
 * (which is what etcd's clients expect of a method a server lacks). The returned server is a
 * Vert.x request handler; {@link io.keel.backend.http.ClientListener} feeds it the gRPC requests of
 * each client port. Stateless factory; thread-safe.
 */
public final class EtcdGrpcServer {
    /** Default bound of in-flight calls per back end before {@code etcdserver: too many requests}. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 5_000;

    private EtcdGrpcServer() {
    }

    /** The hand-off bounds, one per back end. Immutable value; thread-safe. */
    public record Limits(int kvInFlight, int clusterInFlight, int maintenanceInFlight, long maxTxnOps,
                         long maxReceiveMessageBytes) {
        public Limits validate() {
            if (kvInFlight <= 0 || clusterInFlight <= 0 || maintenanceInFlight <= 0 || maxTxnOps <= 0
                    || maxReceiveMessageBytes <= 0) {
                throw new IllegalArgumentException("every limit must be > 0: " + this);
            }
            return this;
        }
    }

    public static GrpcServer create(Vertx vertx, ServerBackends backends, Limits limits) {
        return create(vertx, backends, limits, Observability.defaults());
    }

    /** The server with KV calls observed (server spans, step traces) through {@code observability}. */
    public static GrpcServer create(Vertx vertx, ServerBackends backends, Limits limits, Observability observability) {
        return create(vertx, backends, limits, observability, StreamMessages.NONE);
    }

    /** As above, with every message of the streaming calls counted in {@code messages}. */
    public static GrpcServer create(Vertx vertx, ServerBackends backends, Limits limits, Observability observability,
                                    StreamMessages messages) {
        limits.validate();
        GrpcServer server = GrpcServer.server(vertx,
                new GrpcServerOptions().setMaxMessageSize(limits.maxReceiveMessageBytes()));
        List<Service> services = new ArrayList<>();
        services.add(backends.kv()
                .<Service>map(kv -> new ObservedKvService(new KvRpcs(kv, new BoundedHandoff("kv", limits.kvInFlight()),
                        limits.maxTxnOps()), observability))
                .orElseGet(() -> KVGrpcService.builder(new io.keel.api.etcdserverpb.KVService()).build()));
        services.add(backends.cluster()
                .map(c -> ClusterGrpcService.builder(new ClusterRpcs(c,
                        new BoundedHandoff("cluster", limits.clusterInFlight()))).bind(ClusterGrpcService.all()).build())
                .orElseGet(() -> ClusterGrpcService.builder(new io.keel.api.etcdserverpb.ClusterService()).build()));
        services.add(backends.maintenance()
                .map(m -> MaintenanceGrpcService.builder(new MaintenanceRpcs(m,
                        new BoundedHandoff("maintenance", limits.maintenanceInFlight()), messages))
                        .bind(MaintenanceGrpcService.all()).build())
                .orElseGet(() -> MaintenanceGrpcService.builder(
                        new io.keel.api.etcdserverpb.MaintenanceService()).build()));
        services.add(backends.lease()
                .map(l -> LeaseGrpcService.builder(new LeaseRpcs(l,
                        new BoundedHandoff("lease", limits.kvInFlight()), messages)).bind(LeaseGrpcService.all()).build())
                .orElseGet(() -> LeaseGrpcService.builder(new LeaseService()).build()));
        services.add(backends.watch()
                .map(hub -> WatchGrpcService.builder(new WatchRpcs(hub, backends.learner(), messages))
                        .bind(WatchGrpcService.all()).build())
                .orElseGet(() -> WatchGrpcService.builder(new WatchService()).build()));
        services.add(AuthGrpcService.builder(new AuthService()).build());
        // Lock and Election run on the member's own KV and watch hub; their futures resume on an event loop.
        SessionLease sessions = backends.lease().map(SessionLease::on).orElseGet(SessionLease::unavailable);
        var waiter = backends.kv().flatMap(kv -> backends.watch().map(hub ->
                new DeletionWaiter(kv, hub, r -> vertx.runOnContext(v -> r.run()))));
        services.add(waiter.map(w -> LockGrpcService.builder(new LockRpcs(new LockServer(backends.kv().get(), w, sessions)))
                        .bind(LockGrpcService.all()).build())
                .orElseGet(() -> LockGrpcService.builder(new LockService()).build()));
        services.add(waiter.map(w -> ElectionGrpcService.builder(new ElectionRpcs(
                        new ElectionServer(backends.kv().get(), w, sessions), backends.kv().get(), backends.watch().get(),
                        messages))
                        .bind(ElectionGrpcService.all()).build())
                .orElseGet(() -> ElectionGrpcService.builder(new ElectionService()).build()));
        services.add(HealthGrpcService.builder(new HealthRpcs(backends.health())).bind(HealthGrpcService.Check).build());
        services.forEach(server::addService);
        return server;
    }
}
