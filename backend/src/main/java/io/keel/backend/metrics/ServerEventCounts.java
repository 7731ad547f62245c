package io.keel.backend.metrics;

import io.keel.server.cluster.PromoteListener;
import io.keel.server.metrics.ServerFamilies;
import io.keel.server.raftnode.ReadIndexListener;

/**
 * Feeds etcd's read index and learner promotion counters from the Raft node's and the cluster
 * back end's hooks. Thread-safe (the counters are lock-free).
 */
public final class ServerEventCounts implements ReadIndexListener, PromoteListener {
    private final ServerFamilies server;

    public ServerEventCounts(ServerFamilies server) {
        this.server = server;
    }

    @Override
    public void slow() {
        server.slowReadIndexes.inc();
    }

    @Override
    public void failed() {
        server.readIndexesFailed.inc();
    }

    @Override
    public void promoted() {
        server.learnerPromoteSuccesses.inc();
    }

    @Override
    public void failed(String reason) {
        server.learnerPromoteFailures.labels(reason).increment();
    }
}
