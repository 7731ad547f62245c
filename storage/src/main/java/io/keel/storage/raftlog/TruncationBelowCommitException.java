package io.keel.storage.raftlog;

/**
 * A save would discard entries at or below the commit index. Raft never asks for this; seeing it
 * means a bug or a confused peer, and the member must not comply. Thrown by
 * {@link DurableRaftStorage#save}; unchecked; immutable.
 */
public final class TruncationBelowCommitException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public TruncationBelowCommitException(long truncateFrom, long commit) {
        super("raftlog: refusing to truncate the log from index " + truncateFrom
                + ", at or below the commit index " + commit);
    }
}
