package io.keel.backend.metrics;

import io.keel.server.metrics.Counter;
import io.keel.server.raftnode.NodeState;
import java.util.function.Consumer;

/**
 * Counts leader changes as etcd does: each time a leader becomes known that differs from the one
 * last seen (losing the leader and finding the same one again counts too). Called on the Raft
 * thread only; not thread-safe otherwise.
 */
public final class LeaderChanges implements Consumer<NodeState> {
    private final Counter changes;
    private long lastLeader;

    public LeaderChanges(Counter changes) {
        this.changes = changes;
    }

    @Override
    public void accept(NodeState s) {
        if (s.leaderId() != 0 && s.leaderId() != lastLeader) {
            changes.inc();
        }
        lastLeader = s.leaderId();
    }
}
