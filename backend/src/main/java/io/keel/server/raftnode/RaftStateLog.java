package io.keel.server.raftnode;

import io.keel.raft.StateRole;
import io.keel.server.membership.MemberIds;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every role and leader change of this member in etcd's words ("became leader at term 5",
 * "raft.node: ... elected leader ... at term 5", "lost leader", "changed leader from ... to"), so an
 * operator can tell from the log alone when and how often leadership moved: requests in flight
 * on a leader that is deposed time out, and without these lines the log did not say why.
 *
 * <p>Owner: the member, as a {@link RaftNode#addStateListener} listener. Thread-safety: called
 * only on the Raft thread; the previous state is confined to it.
 */
public final class RaftStateLog implements Consumer<NodeState> {
    private static final Logger LOG = LoggerFactory.getLogger(RaftStateLog.class);

    private NodeState previous;

    @Override
    public void accept(NodeState now) {
        for (String line : changes(previous, now)) {
            LOG.info(line);
        }
        previous = now;
    }

    /** What changed from {@code before} (null at the start) to {@code now}, one line per change, in etcd's wording. */
    static List<String> changes(NodeState before, NodeState now) {
        List<String> lines = new ArrayList<>(2);
        String id = MemberIds.toHex(now.id());
        if (before == null || before.role() != now.role() || before.term() != now.term()) {
            lines.add(id + " became " + roleName(now.role()) + " at term " + now.term());
        }
        long lead = before == null ? 0 : before.leaderId();
        if (lead != now.leaderId()) {
            if (now.leaderId() == 0) {
                lines.add("raft.node: " + id + " lost leader " + MemberIds.toHex(lead) + " at term " + now.term());
            } else if (lead == 0) {
                lines.add("raft.node: " + id + " elected leader " + MemberIds.toHex(now.leaderId())
                        + " at term " + now.term());
            } else {
                lines.add("raft.node: " + id + " changed leader from " + MemberIds.toHex(lead) + " to "
                        + MemberIds.toHex(now.leaderId()) + " at term " + now.term());
            }
        }
        return lines;
    }

    private static String roleName(StateRole role) {
        return switch (role) {
            case FOLLOWER -> "follower";
            case PRE_CANDIDATE -> "pre-candidate";
            case CANDIDATE -> "candidate";
            case LEADER -> "leader";
        };
    }
}
