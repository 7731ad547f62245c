package io.keel.raft.confchange;

import io.keel.raft.ConfChange;
import io.keel.raft.ConfState;
import io.keel.raft.tracker.ProgressTracker;

import java.util.TreeSet;

/**
 * Applies one single-member configuration change at a time (etcd's confchange.Changer.Simple):
 * ADD_NODE adds a voter or promotes a learner, ADD_LEARNER_NODE adds a learner or demotes a voter,
 * REMOVE_NODE removes a member, UPDATE_NODE changes nothing in Raft. A change that would leave no
 * voter is refused. Stateless; thread-safe.
 */
public final class Changer {
    private Changer() {
    }

    /**
     * Why {@code change} cannot be applied on top of {@code current}, or null when it can. The
     * leader refuses such proposals, so every member applies only valid ones.
     */
    public static String validate(ConfState current, ConfChange change) {
        if (change.nodeId() == 0) { // ids are unsigned 64-bit: only 0 (none) is invalid
            return "invalid node id " + change.nodeId();
        }
        ConfState next = preview(current, change);
        if (next.voters().isEmpty()) {
            return "removed all voters";
        }
        return null;
    }

    /** The configuration that {@code change} would produce from {@code current}. */
    public static ConfState preview(ConfState current, ConfChange change) {
        TreeSet<Long> voters = new TreeSet<>(current.voters());
        TreeSet<Long> learners = new TreeSet<>(current.learners());
        long id = change.nodeId();
        switch (change.type()) {
            case ADD_NODE -> {
                learners.remove(id);
                voters.add(id);
            }
            case ADD_LEARNER_NODE -> {
                voters.remove(id);
                learners.add(id);
            }
            case REMOVE_NODE -> {
                voters.remove(id);
                learners.remove(id);
            }
            case UPDATE_NODE -> {
                // Member metadata only; Raft's configuration is unchanged.
            }
        }
        return new ConfState(voters, learners);
    }

    /**
     * Applies {@code change} to {@code tracker}; new members start probing at {@code lastIndex}.
     *
     * @throws IllegalArgumentException when {@link #validate} refuses the change
     */
    public static void apply(ProgressTracker tracker, ConfChange change, long lastIndex) {
        String refused = validate(tracker.confState(), change);
        if (refused != null) {
            throw new IllegalArgumentException("cannot apply " + change + ": " + refused);
        }
        ConfState expected = preview(tracker.confState(), change);
        long id = change.nodeId();
        switch (change.type()) {
            case ADD_NODE -> tracker.makeVoter(id, lastIndex);
            case ADD_LEARNER_NODE -> tracker.makeLearner(id, lastIndex);
            case REMOVE_NODE -> tracker.remove(id);
            case UPDATE_NODE -> {
                // Nothing to do for Raft.
            }
        }
        assert tracker.confState().equals(expected) : "apply diverged from preview";
    }

    /** Rebuilds {@code tracker} from a saved configuration (restart or snapshot install). */
    public static void restore(ProgressTracker tracker, ConfState state, long lastIndex) {
        tracker.clear();
        for (long id : state.voters()) {
            tracker.makeVoter(id, lastIndex);
        }
        for (long id : state.learners()) {
            tracker.makeLearner(id, lastIndex);
        }
        assert tracker.confState().equals(state) : "restored configuration differs";
    }
}
