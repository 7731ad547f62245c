package io.keel.raft.tracker;

/**
 * The leader's view of one member's log: what it is known to hold ({@code match}), what to send
 * next ({@code next}) and how to send it ({@link ProgressState}). Mirrors etcd's tracker.Progress.
 *
 * <p>Invariant: {@code match < next}. Owned by the leader's {@link ProgressTracker}; not
 * thread-safe.
 */
public final class Progress {
    private long match;
    private long next;
    private ProgressState state = ProgressState.PROBE;
    /** In SNAPSHOT state, the index of the snapshot being sent; else 0. */
    private long pendingSnapshot;
    /** Heard from since the last check-quorum round. */
    private boolean recentActive;
    /** In PROBE state, an APP was sent and the next waits for a response or heartbeat. */
    private boolean probeSent;
    private boolean learner;
    private final Inflights inflights;

    public Progress(long match, long next, int maxInflight, boolean learner) {
        if (next <= match) {
            throw new IllegalArgumentException("next " + next + " must exceed match " + match);
        }
        this.match = match;
        this.next = next;
        this.learner = learner;
        this.inflights = new Inflights(maxInflight);
    }

    public long match() {
        return match;
    }

    public long next() {
        return next;
    }

    public ProgressState state() {
        return state;
    }

    public long pendingSnapshot() {
        return pendingSnapshot;
    }

    public boolean recentActive() {
        return recentActive;
    }

    public void setRecentActive(boolean active) {
        this.recentActive = active;
    }

    public boolean probeSent() {
        return probeSent;
    }

    public void setProbeSent(boolean sent) {
        this.probeSent = sent;
    }

    public boolean isLearner() {
        return learner;
    }

    public void setLearner(boolean learner) {
        this.learner = learner;
    }

    public Inflights inflights() {
        return inflights;
    }

    private void resetState(ProgressState newState) {
        probeSent = false;
        pendingSnapshot = 0;
        state = newState;
        inflights.reset();
    }

    /** Back to probing; after a snapshot, continue from the snapshot index if it was sent. */
    public void becomeProbe() {
        if (state == ProgressState.SNAPSHOT) {
            long pending = pendingSnapshot;
            resetState(ProgressState.PROBE);
            next = Math.max(match + 1, pending + 1);
        } else {
            resetState(ProgressState.PROBE);
            next = match + 1;
        }
        assert next > match;
    }

    public void becomeReplicate() {
        resetState(ProgressState.REPLICATE);
        next = match + 1;
    }

    public void becomeSnapshot(long snapshotIndex) {
        resetState(ProgressState.SNAPSHOT);
        pendingSnapshot = snapshotIndex;
    }

    /**
     * Records an acknowledgement of {@code index}. Returns false when it is stale (at or below
     * {@code match}), so a delayed response never moves the follower backwards.
     */
    public boolean maybeUpdate(long index) {
        boolean updated = false;
        if (match < index) {
            match = index;
            updated = true;
            probeSent = false;
        }
        next = Math.max(next, index + 1);
        assert next > match;
        return updated;
    }

    /** In REPLICATE state, assumes entries up to {@code lastSent} will arrive. */
    public void optimisticUpdate(long lastSent) {
        assert lastSent >= match : "optimistic update below match";
        next = lastSent + 1;
    }

    /**
     * Handles a rejected APP that was sent with {@code rejected} as its previous index. Returns
     * false when the rejection is stale. {@code matchHint} is the highest index that may match.
     */
    public boolean maybeDecrTo(long rejected, long matchHint) {
        if (state == ProgressState.REPLICATE) {
            // In replicate state a rejection at or below match is a duplicate or reordered reply.
            if (rejected <= match) {
                return false;
            }
            next = match + 1;
            return true;
        }
        // In probe state only a rejection of the APP we last sent (next - 1) is meaningful.
        if (next - 1 != rejected) {
            return false;
        }
        next = Math.max(Math.min(rejected, matchHint + 1), match + 1);
        probeSent = false;
        assert next > match;
        return true;
    }

    /** Whether the leader must hold back APPs to this member for now. */
    public boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflights.full();
            case SNAPSHOT -> true;
        };
    }

    @Override
    public String toString() {
        return state + " match=" + match + " next=" + next
                + (learner ? " learner" : "") + (pendingSnapshot > 0 ? " pendingSnap=" + pendingSnapshot : "")
                + " inflight=" + inflights.count();
    }
}
