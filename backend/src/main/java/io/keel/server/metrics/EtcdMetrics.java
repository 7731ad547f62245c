package io.keel.server.metrics;

/**
 * Every etcd-named family one member exports, grouped by domain, in one {@link MetricRegistry}.
 * Created once per member by the server's wiring; the groups' public cells are the hooks the rest
 * of the server records into. Thread-safe.
 */
public final class EtcdMetrics {
    private final MetricRegistry registry = new MetricRegistry();
    private final ServerFamilies server;
    private final StorageFamilies storage;
    private final GrpcFamilies grpc;
    private final WatchLeaseFamilies watchLease;

    public EtcdMetrics(MemberGauges member) {
        server = new ServerFamilies(registry, member);
        storage = new StorageFamilies(registry, member);
        watchLease = new WatchLeaseFamilies(registry);
        grpc = new GrpcFamilies(registry);
        new ProcessFamilies(registry);
    }

    public MetricRegistry registry() {
        return registry;
    }

    public ServerFamilies server() {
        return server;
    }

    public StorageFamilies storage() {
        return storage;
    }

    public GrpcFamilies grpc() {
        return grpc;
    }

    public WatchLeaseFamilies watchLease() {
        return watchLease;
    }
}
