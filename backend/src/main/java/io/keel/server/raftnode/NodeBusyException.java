package io.keel.server.raftnode;

/**
 * The node refused work because a bound was reached (input queue full, or applying lags too far
 * behind committing). The gRPC layer answers etcd's "etcdserver: too many requests".
 */
public final class NodeBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NodeBusyException(String reason) {
        super(reason, null, false, false);
    }
}
