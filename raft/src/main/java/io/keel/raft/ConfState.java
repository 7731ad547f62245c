package io.keel.raft;

import java.util.Set;
import java.util.TreeSet;
import java.util.Collections;

/**
 * A cluster configuration: who votes and who only learns. Keel changes membership one member at a
 * time (the pending-change rule), as etcd's server does, so there is no joint configuration here.
 * Immutable value; thread-safe. A node id is never in both sets.
 *
 * @param voters   ids that vote and count toward quorum
 * @param learners ids that receive the log but never vote
 */
public record ConfState(Set<Long> voters, Set<Long> learners) {
    public static final ConfState EMPTY = new ConfState(Set.of(), Set.of());

    public ConfState {
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        learners = Collections.unmodifiableSortedSet(new TreeSet<>(learners));
        for (Long id : voters) {
            if (learners.contains(id)) {
                throw new IllegalArgumentException("node " + id + " is both voter and learner");
            }
        }
    }

    public static ConfState ofVoters(Long... ids) {
        return new ConfState(Set.of(ids), Set.of());
    }

    public boolean contains(long id) {
        return voters.contains(id) || learners.contains(id);
    }
}
