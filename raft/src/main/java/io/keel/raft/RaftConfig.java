package io.keel.raft;

/**
 * Settings of one Raft member. Immutable; thread-safe. Times are in ticks: the application
 * decides how long a tick is (etcd: --heartbeat-interval).
 *
 * @param id                           this member's id: an unsigned 64-bit value, never 0
 * @param electionTicks                election timeout; a follower campaigns after a random
 *                                     timeout in [electionTicks, 2*electionTicks)
 * @param heartbeatTicks               leader heartbeat interval, < electionTicks
 * @param applied                      last applied index on restart (entries at or below are not
 *                                     returned as committed again)
 * @param maxSizePerMsgBytes           bound on entry bytes per APP message (at least one entry)
 * @param maxCommittedSizePerReadyBytes bound on committed entry bytes per Ready
 * @param maxUncommittedEntriesSizeBytes bound on proposed but uncommitted payload bytes on the
 *                                     leader; over it proposals are dropped (0 = no bound)
 * @param maxInflightMsgs              APP messages in flight per follower in replicate state
 * @param checkQuorum                  leader steps down when it has not heard from a quorum in an
 *                                     election timeout
 * @param preVote                      run a pre-vote round before incrementing the term
 * @param readOnlyOption               how ReadIndex confirms leadership
 * @param disableProposalForwarding    followers drop proposals instead of forwarding them
 */
public record RaftConfig(long id, int electionTicks, int heartbeatTicks, long applied,
                         long maxSizePerMsgBytes, long maxCommittedSizePerReadyBytes,
                         long maxUncommittedEntriesSizeBytes, int maxInflightMsgs, boolean checkQuorum,
                         boolean preVote, ReadOnlyOption readOnlyOption, boolean disableProposalForwarding) {

    /** etcd server's defaults: 10 election ticks, 1 heartbeat tick, 1 MiB messages, 512 inflight. */
    public static RaftConfig defaults(long id) {
        return new RaftConfig(id, 10, 1, 0, 1024 * 1024, 64L * 1024 * 1024, 1L << 30, 512, true, true,
                ReadOnlyOption.SAFE, false);
    }

    public RaftConfig withApplied(long newApplied) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, newApplied, maxSizePerMsgBytes,
                maxCommittedSizePerReadyBytes, maxUncommittedEntriesSizeBytes, maxInflightMsgs, checkQuorum,
                preVote, readOnlyOption, disableProposalForwarding);
    }

    public RaftConfig withTicks(int newElectionTicks, int newHeartbeatTicks) {
        return new RaftConfig(id, newElectionTicks, newHeartbeatTicks, applied, maxSizePerMsgBytes,
                maxCommittedSizePerReadyBytes, maxUncommittedEntriesSizeBytes, maxInflightMsgs, checkQuorum,
                preVote, readOnlyOption, disableProposalForwarding);
    }

    public RaftConfig withCheckQuorum(boolean on) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, applied, maxSizePerMsgBytes,
                maxCommittedSizePerReadyBytes, maxUncommittedEntriesSizeBytes, maxInflightMsgs, on,
                preVote, readOnlyOption, disableProposalForwarding);
    }

    public RaftConfig withPreVote(boolean on) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, applied, maxSizePerMsgBytes,
                maxCommittedSizePerReadyBytes, maxUncommittedEntriesSizeBytes, maxInflightMsgs, checkQuorum,
                on, readOnlyOption, disableProposalForwarding);
    }

    public RaftConfig withMaxSizePerMsgBytes(long bytes) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, applied, bytes,
                maxCommittedSizePerReadyBytes, maxUncommittedEntriesSizeBytes, maxInflightMsgs, checkQuorum,
                preVote, readOnlyOption, disableProposalForwarding);
    }

    public RaftConfig withMaxInflightMsgs(int n) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, applied, maxSizePerMsgBytes,
                maxCommittedSizePerReadyBytes, maxUncommittedEntriesSizeBytes, n, checkQuorum,
                preVote, readOnlyOption, disableProposalForwarding);
    }

    /** Throws IllegalArgumentException naming the first invalid setting. */
    public RaftConfig validate() {
        require(id != 0, "id must not be 0 (ids are unsigned 64-bit; 0 means none)");
        require(heartbeatTicks > 0, "heartbeatTicks must be > 0");
        require(electionTicks > heartbeatTicks, "electionTicks must be greater than heartbeatTicks");
        require(applied >= 0, "applied must be >= 0");
        require(maxSizePerMsgBytes > 0, "maxSizePerMsgBytes must be > 0");
        require(maxCommittedSizePerReadyBytes > 0, "maxCommittedSizePerReadyBytes must be > 0");
        require(maxUncommittedEntriesSizeBytes >= 0, "maxUncommittedEntriesSizeBytes must be >= 0");
        require(maxInflightMsgs > 0, "maxInflightMsgs must be > 0");
        require(readOnlyOption != null, "readOnlyOption is required");
        require(readOnlyOption != ReadOnlyOption.LEASE_BASED || checkQuorum,
                "checkQuorum must be enabled when readOnlyOption is LEASE_BASED");
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid raft config: " + message);
        }
    }
}
