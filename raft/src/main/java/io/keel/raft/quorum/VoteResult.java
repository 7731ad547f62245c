package io.keel.raft.quorum;

/** Outcome of an election tally, as etcd's quorum.VoteResult. Immutable; thread-safe. */
public enum VoteResult {
    /** Neither a majority of grants nor of rejections yet. */
    PENDING,
    /** A majority rejected. */
    LOST,
    /** A majority granted. */
    WON
}
