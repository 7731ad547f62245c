package io.keel.raft;

/**
 * A proposal was not accepted: no known leader, a leadership transfer is in progress, the
 * uncommitted-size limit is reached, or this member was removed (etcd's ErrProposalDropped).
 * The caller must report failure to its client; the proposal is not in the log.
 */
public final class ProposalDroppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProposalDroppedException(String reason) {
        super("raft proposal dropped: " + reason, null, false, false);
    }
}
