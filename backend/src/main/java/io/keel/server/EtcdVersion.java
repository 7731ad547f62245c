package io.keel.server;

/**
 * The etcd versions Keel reports (GET /version, Maintenance.Status): the etcd API level Keel
 * implements, which is what clients use to decide which features they may call. Constants; thread-safe.
 */
public final class EtcdVersion {
    /** Server version reported as {@code etcdserver}. */
    public static final String SERVER = "3.5.0";
    /** Cluster version reported as {@code etcdcluster}: major.minor.0, as etcd reports it. */
    public static final String CLUSTER = "3.5.0";

    private EtcdVersion() {
    }
}
