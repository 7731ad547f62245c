package io.keel.raft;

import java.util.Map;

/**
 * A point-in-time view of a member, for the server, metrics and the console. Immutable;
 * thread-safe.
 *
 * @param id             this member
 * @param hardState      term, vote, commit
 * @param softState      leader and role
 * @param applied        last index handed out for applying
 * @param leadTransferee target of an ongoing leadership transfer, 0 for none
 * @param confState      current configuration
 * @param progress       on the leader, each member's replication progress; empty elsewhere
 */
public record RaftStatus(long id, HardState hardState, SoftState softState, long applied, long leadTransferee,
                         ConfState confState, Map<Long, ProgressView> progress) {

    /** One follower's replication progress as the leader sees it. */
    public record ProgressView(long match, long next, String state, boolean recentActive, boolean learner) {
    }
}
