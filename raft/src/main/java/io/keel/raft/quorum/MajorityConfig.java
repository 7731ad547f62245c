package io.keel.raft.quorum;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.LongUnaryOperator;

/**
 * Majority arithmetic over one set of voters: the commit index a quorum has acknowledged and the
 * result of a vote. Stateless functions; thread-safe.
 */
public final class MajorityConfig {
    private MajorityConfig() {
    }

    /** Number of voters that form a majority of {@code voterCount}. */
    public static int quorum(int voterCount) {
        return voterCount / 2 + 1;
    }

    /**
     * The highest index that a majority of {@code voters} has acknowledged, where
     * {@code ackedIndex} gives each voter's acknowledged index (0 when unknown). An empty voter set
     * commits nothing (0): without voters there is no quorum to trust.
     */
    public static long committedIndex(Set<Long> voters, LongUnaryOperator ackedIndex) {
        if (voters.isEmpty()) {
            return 0;
        }
        long[] acked = new long[voters.size()];
        int i = 0;
        for (long id : voters) {
            acked[i++] = ackedIndex.applyAsLong(id);
        }
        Arrays.sort(acked);
        // Sorted ascending: the element at n - quorum is the largest index that at least a quorum
        // of voters has reached.
        long committed = acked[acked.length - quorum(acked.length)];
        assert committed >= acked[0] : "majority index below the minimum";
        return committed;
    }

    /**
     * Tallies {@code votes} (true = granted) cast by members of {@code voters}; votes from others are
     * ignored. An empty configuration wins, as in etcd, so that joint arithmetic stays uniform.
     */
    public static VoteResult voteResult(Set<Long> voters, Map<Long, Boolean> votes) {
        if (voters.isEmpty()) {
            return VoteResult.WON;
        }
        int granted = 0;
        int missing = 0;
        for (long id : voters) {
            Boolean v = votes.get(id);
            if (v == null) {
                missing++;
            } else if (v) {
                granted++;
            }
        }
        int q = quorum(voters.size());
        if (granted >= q) {
            return VoteResult.WON;
        }
        if (granted + missing >= q) {
            return VoteResult.PENDING;
        }
        return VoteResult.LOST;
    }
}
