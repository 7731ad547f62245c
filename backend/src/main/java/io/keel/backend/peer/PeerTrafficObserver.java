package io.keel.backend.peer;

import io.keel.raft.MessageType;

/**
 * What the peer transport tells whoever watches it (the member's metrics): bytes and messages
 * sent to and received from each peer, and failures. Called on event loops and the Raft thread;
 * implementations must be thread-safe, return at once and not allocate. Defaults do nothing.
 */
public interface PeerTrafficObserver {
    PeerTrafficObserver NONE = new PeerTrafficObserver() {
    };

    /** A message of {@code bytes} (encoded) was written to {@code peerId}'s stream. */
    default void sent(long peerId, MessageType type, int bytes) {
    }

    /** A message of {@code bytes} (encoded) arrived from {@code peerId}. */
    default void received(long peerId, MessageType type, int bytes) {
    }

    /** A message for {@code peerId} was dropped (queue full) or its stream failed. */
    default void sendFailed(long peerId, MessageType typeOrNull) {
    }
}
