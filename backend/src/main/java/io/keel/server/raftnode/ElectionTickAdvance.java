package io.keel.server.raftnode;

/**
 * When a starting member moves its election clock forward (etcd's
 * {@code --initial-election-tick-advance}), so that it campaigns soon after it can reach its
 * peers instead of after a whole randomized election timeout.
 *
 * <p>A single voter advances at once: there is nobody to wait for. A member of a larger cluster
 * advances when the first peer connection stands, as etcd waits for an active peer: advanced before,
 * its pre-vote requests went nowhere (or were held until the connections came up, so that every
 * restarted member's requests and grants arrived together and they all became candidates at
 * once, splitting the vote), and it then sat out a full randomized timeout before trying again.
 * It advances two ticks short of a timeout, as etcd does for several members, leaving a leader that
 * is already there time to be heard; once a leader is known there is nothing to advance.
 * Only the timing of a campaign changes, never a vote's rules, so safety does not depend on it.
 *
 * <p>Owned by {@link RaftLoop}; confined to the Raft thread; not thread-safe.
 */
final class ElectionTickAdvance {
    private final boolean enabled;
    private final int electionTicks;
    private boolean awaitingPeer;

    ElectionTickAdvance(boolean enabled, int electionTicks) {
        this.enabled = enabled;
        this.electionTicks = electionTicks;
    }

    /** Ticks to advance as the loop starts, with {@code voters} in the configuration. */
    int atStart(int voters) {
        if (!enabled) {
            return 0;
        }
        if (voters <= 1) {
            return electionTicks - 1;
        }
        awaitingPeer = true;
        return 0;
    }

    /** Ticks to advance now that a peer connection stands; only the first one counts. */
    int onPeerActive(boolean leaderKnown) {
        if (!awaitingPeer) {
            return 0;
        }
        awaitingPeer = false;
        return leaderKnown ? 0 : Math.max(0, electionTicks - 2);
    }
}
