package io.keel.server.raftnode;

import io.keel.raft.Message;

import java.util.List;

/**
 * Hands Raft messages to the peer transport. Must not block: a transport whose queue to a peer
 * is full drops the message and later reports the peer unreachable, as etcd's does; Raft
 * recovers from lost messages.
 *
 * <p>Called from the node's Raft thread, and from its apply thread for merged snapshots: must be
 * thread-safe.
 */
@FunctionalInterface
public interface PeerSender {
    void send(List<Message> messages);
}
