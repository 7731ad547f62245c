package io.keel.raft.tracker;

import io.keel.raft.ConfState;
import io.keel.raft.quorum.MajorityConfig;
import io.keel.raft.quorum.VoteResult;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * The current configuration (voters and learners), a {@link Progress} per member, and the votes of
 * the election in progress. Iteration is in id order so that every run emits messages in the same
 * order (determinism for the simulation).
 *
 * <p>Invariants: voters and learners are disjoint; every member has exactly one Progress.
 * Owned by one Raft instance; not thread-safe.
 */
public final class ProgressTracker {
    private final int maxInflight;
    private final TreeSet<Long> voters = new TreeSet<>();
    private final TreeSet<Long> learners = new TreeSet<>();
    private final TreeMap<Long, Progress> progress = new TreeMap<>();
    private final Map<Long, Boolean> votes = new HashMap<>();

    public ProgressTracker(int maxInflight) {
        this.maxInflight = maxInflight;
    }

    public int maxInflight() {
        return maxInflight;
    }

    public ConfState confState() {
        return new ConfState(voters, learners);
    }

    public Set<Long> voters() {
        return Collections.unmodifiableSet(voters);
    }

    public Set<Long> learners() {
        return Collections.unmodifiableSet(learners);
    }

    public Progress progress(long id) {
        return progress.get(id);
    }

    /** All members' progress in id order; the map must not be modified. */
    public SortedMap<Long, Progress> progressMap() {
        return Collections.unmodifiableSortedMap(progress);
    }

    /** Visits each member in id order. */
    public void visit(BiConsumer<Long, Progress> visitor) {
        progress.forEach(visitor);
    }

    /** True when this configuration has exactly one voter (which then commits alone). */
    public boolean isSingleton() {
        return voters.size() == 1;
    }

    /** Adds {@code id} as a voter, or promotes it if it is a learner. Idempotent. */
    public void makeVoter(long id, long nextIndex) {
        Progress pr = progress.get(id);
        if (pr == null) {
            progress.put(id, newProgress(nextIndex, false));
        } else {
            pr.setLearner(false);
        }
        learners.remove(id);
        voters.add(id);
        checkInvariants();
    }

    /** Adds {@code id} as a learner, or demotes a voter to learner (keeping its progress). */
    public void makeLearner(long id, long nextIndex) {
        Progress pr = progress.get(id);
        if (pr == null) {
            progress.put(id, newProgress(nextIndex, true));
        } else {
            pr.setLearner(true);
        }
        voters.remove(id);
        learners.add(id);
        checkInvariants();
    }

    /** Replaces an existing member's progress (a new term starts tracking afresh). */
    public void replaceProgress(long id, Progress fresh) {
        Progress old = progress.get(id);
        if (old == null || old.isLearner() != fresh.isLearner()) {
            throw new IllegalArgumentException("cannot replace progress of " + id);
        }
        progress.put(id, fresh);
    }

    /** Removes {@code id} entirely; a no-op for an unknown id. */
    public void remove(long id) {
        voters.remove(id);
        learners.remove(id);
        progress.remove(id);
        votes.remove(id);
        checkInvariants();
    }

    private Progress newProgress(long nextIndex, boolean learner) {
        // A new member counts as recently active so that check-quorum does not step the leader
        // down before it had a chance to hear from it, and so it may be sent a snapshot at once.
        Progress pr = new Progress(0, Math.max(nextIndex, 1), maxInflight, learner);
        pr.setRecentActive(true);
        return pr;
    }

    private void checkInvariants() {
        assert progress.size() == voters.size() + learners.size() : "progress/config mismatch";
        assert Collections.disjoint(voters, learners) : "voter and learner sets overlap";
    }

    /** The highest index acknowledged by a majority of voters. */
    public long committed() {
        return MajorityConfig.committedIndex(voters, id -> progress.get(id).match());
    }

    /** Whether a majority of voters was heard from recently (check-quorum). */
    public boolean quorumActive() {
        Map<Long, Boolean> active = new HashMap<>();
        progress.forEach((id, pr) -> {
            if (!pr.isLearner()) {
                active.put(id, pr.recentActive());
            }
        });
        return MajorityConfig.voteResult(voters, active) == VoteResult.WON;
    }

    public void resetVotes() {
        votes.clear();
    }

    /** Records {@code id}'s vote; only the first vote of each member in an election counts. */
    public void recordVote(long id, boolean granted) {
        votes.putIfAbsent(id, granted);
    }

    public VoteResult tallyVotes() {
        return MajorityConfig.voteResult(voters, votes);
    }

    /** Number of granted votes from voters, for logging and status. */
    public int grantedVotes() {
        int n = 0;
        for (long id : voters) {
            if (Boolean.TRUE.equals(votes.get(id))) {
                n++;
            }
        }
        return n;
    }

    /** Forgets the configuration, as before restoring from a snapshot. */
    public void clear() {
        voters.clear();
        learners.clear();
        progress.clear();
        votes.clear();
    }
}
