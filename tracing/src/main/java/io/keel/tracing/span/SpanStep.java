package io.keel.tracing.span;

/**
 * The steps of a request that get a span of their own, with the span names Keel exports.
 *
 * <p>Owner: this module. Thread-safety: immutable enum.
 */
public enum SpanStep {
    /** Waiting for ReadIndex before a linearizable read. */
    READ_INDEX("raft.read_index", Kind.INTERNAL),
    /** Handing the proposal to the Raft node until it is in the leader's log. */
    PROPOSE("raft.propose", Kind.INTERNAL),
    /** Appending entries to the local log, including the durability barrier (fsync). */
    LOG_APPEND("raft.log_append", Kind.INTERNAL),
    /** Sending entries to one peer; the peer continues the trace (set {@code keel.raft.peer_id}). */
    REPLICATE("raft.replicate", Kind.CLIENT),
    /** On the leader: handling a proposal a follower forwarded (the trace crossed the peer hop). */
    LEADER_APPEND("raft.leader_append", Kind.SERVER),
    /** On a follower: handling the leader's message that carried the trace. */
    FOLLOWER_APPEND("raft.follower_append", Kind.SERVER),
    /** Waiting for a quorum to commit the entry. */
    COMMIT("raft.commit", Kind.INTERNAL),
    /** Applying the committed entry to the state machine. */
    APPLY("apply", Kind.INTERNAL),
    /** Reading from the MVCC store. */
    MVCC_READ("mvcc.read", Kind.INTERNAL),
    /** Writing to the MVCC store. */
    MVCC_WRITE("mvcc.write", Kind.INTERNAL),
    /** Encoding and sending the response. */
    REPLY("grpc.reply", Kind.INTERNAL);

    /** Span kinds, mirrored so callers need not import OpenTelemetry. */
    public enum Kind { INTERNAL, CLIENT, SERVER }

    private final String spanName;
    private final Kind kind;

    SpanStep(String spanName, Kind kind) {
        this.spanName = spanName;
        this.kind = kind;
    }

    public String spanName() {
        return spanName;
    }

    public Kind kind() {
        return kind;
    }
}
