package io.keel.backend.peer;

import io.keel.api.peer.v1.RaftMessage;
import io.keel.raft.Message;

/**
 * Lets tracing ride along the peer transport: the sender may add the span context of traced
 * entries to a message's wire form, and the receiver sees every wire message before Raft does.
 * Implementations must return at once and never throw.
 *
 * <p>Called on the transport's event loops. Implementations must be thread-safe.
 */
public interface PeerTraceHooks {
    /** Carries nothing. */
    PeerTraceHooks NONE = new PeerTraceHooks() {
        @Override
        public RaftMessage outgoing(Message message, RaftMessage wire) {
            return wire;
        }

        @Override
        public void incoming(RaftMessage wire) {
        }
    };

    /** The wire form to send for {@code message}: {@code wire} itself, or a copy with trace context. */
    RaftMessage outgoing(Message message, RaftMessage wire);

    /** A message arrived from a peer; called before it is handed to Raft. */
    void incoming(RaftMessage wire);
}
