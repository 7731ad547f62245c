package io.keel.server.raftnode;

import io.keel.raft.Message;

import java.util.List;

/**
 * Hands Raft messages to the peer transport. Must not block: a transport whose queue to a peer
 * is full drops the message and later reports the peer unreachable, as etcd's does; Raft
 * recovers from lost messages.
 *
 * <p>Called only from the node's Raft thread.
 */
@FunctionalInterface
public interface PeerSender {
    void send(List<Message> messages);
}
