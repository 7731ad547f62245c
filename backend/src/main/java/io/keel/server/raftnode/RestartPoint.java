package io.keel.server.raftnode;

import io.keel.raft.ConfChange;
import io.keel.raft.ConfState;
import io.keel.raft.RawNode;
import io.keel.storage.raftlog.RaftLogStore;

import java.util.function.LongPredicate;

/**
 * Where Raft resumes delivering committed entries after a restart: after the store's applied
 * index, not after the last snapshot. Every entry in between is already in the store (the applier
 * would only skip it), yet re-delivering it means reading it back from the log and handing it to
 * the apply thread: up to {@code --snapshot-count} entries, which dominated a restart. The conf
 * changes among them still have to reach Raft's configuration, so they (and only they) are read
 * and re-applied here, as {@link RawNode}'s restart contract asks of an application that restarts
 * with a larger applied index.
 *
 * <p>Owner: {@link RaftNode}'s constructor, before the Raft thread starts. Stateless; thread-safe.
 */
final class RestartPoint {
    private RestartPoint() {
    }

    /**
     * The applied index to start Raft with: the store's, when it lies in the log's committed range
     * {@code [snapshot index, commit]}; otherwise the snapshot's (0), and Raft re-delivers from it
     * as before (a store behind the snapshot is restored first; a commit index behind the store,
     * possible when the hard state's last commit-only update was not synced, is capped).
     */
    static long appliedIndex(RaftLogStore log, long storeApplied) {
        long snapshotIndex = log.firstIndex() - 1;
        long commit = log.initialState().hardState().commit();
        long applied = Math.min(storeApplied, Math.min(commit, log.lastIndex()));
        return applied > snapshotIndex ? applied : 0;
    }

    /**
     * Re-applies to {@code raw} the conf changes in {@code (snapshot index, applied]} that the
     * state machine did not refuse when it applied them ({@code refused}, as on first delivery) and
     * returns the resulting configuration (the snapshot's when there are none).
     */
    static ConfState reapplyConfChanges(RawNode raw, RaftLogStore log, long applied, LongPredicate refused) {
        ConfState conf = log.initialState().confState();
        if (applied == 0) {
            return conf;
        }
        for (long index : log.confChangeIndexes(log.firstIndex(), applied)) {
            if (!refused.test(index)) {
                conf = raw.applyConfChange(
                        ConfChange.decode(log.entries(index, index + 1, Long.MAX_VALUE).get(0).data()));
            }
        }
        return conf;
    }
}
