package io.keel.raft;

/**
 * Raft message kinds, as in etcd's raftpb. Local kinds never leave the member that creates them.
 * Immutable; thread-safe.
 */
public enum MessageType {
    /** Local: start an election (campaign). */
    HUP(true),
    /** Local: a leader should broadcast heartbeats. */
    BEAT(true),
    /** A client proposal; local on the leader, forwarded by followers. */
    PROP(false),
    APP(false),
    APP_RESP(false),
    VOTE(false),
    VOTE_RESP(false),
    SNAP(false),
    HEARTBEAT(false),
    HEARTBEAT_RESP(false),
    /** Local: the transport could not reach a peer. */
    UNREACHABLE(true),
    /** Local: the outcome of sending a snapshot to a peer. */
    SNAP_STATUS(true),
    /** Local: a leader should check it still hears from a quorum. */
    CHECK_QUORUM(true),
    /** Ask the leader to hand leadership to {@code from}; forwarded by followers. */
    TRANSFER_LEADER(false),
    /** Tell the transfer target to campaign at once, ignoring its election timeout. */
    TIMEOUT_NOW(false),
    READ_INDEX(false),
    READ_INDEX_RESP(false),
    PRE_VOTE(false),
    PRE_VOTE_RESP(false);

    private final boolean local;

    MessageType(boolean local) {
        this.local = local;
    }

    /** True for kinds that a member generates for itself and must never be sent over the network. */
    public boolean isLocal() {
        return local;
    }

    /** True for the responses whose term may legitimately differ from the local one (etcd's rule). */
    public boolean isResponse() {
        return this == APP_RESP || this == VOTE_RESP || this == HEARTBEAT_RESP || this == READ_INDEX_RESP
                || this == PRE_VOTE_RESP;
    }
}
