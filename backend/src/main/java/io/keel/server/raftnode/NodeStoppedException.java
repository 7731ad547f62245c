package io.keel.server.raftnode;

/** The node is stopping or stopped; the request was not (and will not be) processed. */
public final class NodeStoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NodeStoppedException() {
        super("etcdserver: server stopped", null, false, false);
    }
}
