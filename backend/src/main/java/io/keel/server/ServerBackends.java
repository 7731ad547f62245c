package io.keel.server;

import io.keel.server.cluster.ClusterBackend;
import io.keel.server.health.HealthProbe;
import io.keel.server.health.UnwiredHealthProbe;
import io.keel.server.kv.KvBackend;
import io.keel.server.lease.LeaseBackend;
import io.keel.server.maintenance.MaintenanceBackend;
import io.keel.server.watch.WatchHub;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The extension points where the Raft node and the MVCC store plug into the server. A back end
 * that is absent leaves its gRPC methods unbound, so clients get UNIMPLEMENTED, as etcd's clients
 * expect of a missing method. Immutable value; thread-safe if its parts are.
 *
 * @param kv          KV service (Range, Put, DeleteRange, Txn, Compact)
 * @param cluster     Cluster service (member add/remove/update/list/promote)
 * @param maintenance Maintenance unary methods
 * @param health      what /health, /livez, /readyz and grpc.health.v1 report
 * @param lease       Lease service (grant, revoke, keep-alive, time-to-live, leases)
 * @param watch       the member's watch hub (Watch service, and Lock/Election waiting)
 * @param learner     true while this member is a learner: stream services then refuse new streams
 *                    with etcd's "rpc not supported for learner", as etcd's stream interceptor does
 */
public record ServerBackends(Optional<KvBackend> kv, Optional<ClusterBackend> cluster,
                             Optional<MaintenanceBackend> maintenance, HealthProbe health,
                             Optional<LeaseBackend> lease, Optional<WatchHub> watch,
                             BooleanSupplier learner) {
    public ServerBackends {
        Objects.requireNonNull(kv, "kv");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(maintenance, "maintenance");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(watch, "watch");
        Objects.requireNonNull(learner, "learner");
    }

    /** The shell as it runs today: nothing wired, health says so. */
    public static ServerBackends unwired() {
        return new ServerBackends(Optional.empty(), Optional.empty(), Optional.empty(), new UnwiredHealthProbe(),
                Optional.empty(), Optional.empty(), () -> false);
    }

    public ServerBackends withKv(KvBackend backend) {
        return new ServerBackends(Optional.of(backend), cluster, maintenance, health, lease, watch, learner);
    }

    public ServerBackends withCluster(ClusterBackend backend) {
        return new ServerBackends(kv, Optional.of(backend), maintenance, health, lease, watch, learner);
    }

    public ServerBackends withMaintenance(MaintenanceBackend backend) {
        return new ServerBackends(kv, cluster, Optional.of(backend), health, lease, watch, learner);
    }

    public ServerBackends withHealth(HealthProbe probe) {
        return new ServerBackends(kv, cluster, maintenance, probe, lease, watch, learner);
    }

    public ServerBackends withLease(LeaseBackend backend) {
        return new ServerBackends(kv, cluster, maintenance, health, Optional.of(backend), watch, learner);
    }

    public ServerBackends withWatch(WatchHub hub) {
        return new ServerBackends(kv, cluster, maintenance, health, lease, Optional.of(hub), learner);
    }

    /** These back ends, with streams refused while {@code isLearner} says so. */
    public ServerBackends withLearner(BooleanSupplier isLearner) {
        return new ServerBackends(kv, cluster, maintenance, health, lease, watch, isLearner);
    }
}
