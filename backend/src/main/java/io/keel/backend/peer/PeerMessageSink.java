package io.keel.backend.peer;

import io.keel.raft.Message;

/**
 * Where received Raft messages go: the Raft node's inbox. Called on a Vert.x event loop, in the
 * order the sending member sent them; must not block. An inbox that is full may drop the message:
 * Raft tolerates loss, and the sender retries by protocol. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface PeerMessageSink {
    void deliver(Message message);
}
