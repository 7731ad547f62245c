package io.keel.raft.sim;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tells raft's one documented way of losing liveness for good from a liveness bug. A configuration
 * change takes effect when a member applies it (etcd's raft, and Keel's), so a removal can commit
 * with a quorum that includes the member being removed, which then stops (etcd's server stops a
 * removed member shortly after it applies its removal) before any survivor learns of the commit.
 * The survivors still count the stopped member, and if without it none of them has a quorum of
 * its own configuration, no leader can ever be elected again: removing a voter from a two-voter
 * configuration with a message lost at the wrong moment. etcd's raft README warns of exactly this
 * ("it is highly recommended to use three or more nodes in every cluster"; etcd-io/etcd#10563).
 *
 * <p>{@link #explains} is deliberately narrow: every survivor that could campaign (a voter in its
 * own configuration; a learner cannot, and a candidate counts votes by its own configuration)
 * must lack a quorum of live voters in that configuration, and every stopped voter such a
 * survivor still counts must have had its removal committed at an index beyond that survivor's
 * commit. A survivor that committed a removal and still counts the removed member is a bug, not
 * this hazard.
 */
final class RemovalWedge {
    private RemovalWedge() {
    }

    /** What the check reads of a member that is still running (or may be restarted). */
    record Survivor(long id, Set<Long> voters, long commit) {
    }

    /**
     * @param survivors  every member not stopped for good
     * @param removedAt  for each member whose removal some member applied, the index of that entry
     * @param gone       the members stopped for good
     * @return true when the missing progress is this hazard and nothing else
     */
    static boolean explains(List<Survivor> survivors, Map<Long, Long> removedAt, Set<Long> gone) {
        boolean anyCandidate = false;
        for (Survivor s : survivors) {
            if (!s.voters().contains(s.id())) {
                continue; // a learner, or a member with no configuration yet: it never campaigns
            }
            anyCandidate = true;
            int alive = 0;
            for (long v : s.voters()) {
                if (!gone.contains(v)) {
                    alive++;
                    continue;
                }
                Long removal = removedAt.get(v);
                if (removal == null || s.commit() >= removal) {
                    return false; // counts a member that was never removed, or whose removal it committed
                }
            }
            if (alive >= s.voters().size() / 2 + 1) {
                return false; // this survivor's configuration can still elect a leader
            }
        }
        return anyCandidate;
    }
}
