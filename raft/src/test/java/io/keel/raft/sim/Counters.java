package io.keel.raft.sim;

/**
 * How much a run (or many runs) exercised: a simulation that never crashed a node or installed a
 * snapshot proves little, so the test asserts these are non-zero across seeds. Mutable; confined to
 * one thread until {@link #add} merges finished runs under the caller's lock.
 */
final class Counters {
    long crashes;
    long restarts;
    long partitions;
    long writesApplied;
    long readsChecked;
    long confChangesApplied;
    /** Conf changes a state machine refused when applying them (counted at each member, as applied ones). */
    long confChangesRefused;
    long snapshotsTaken;
    long snapshotsDelivered;
    long leaderTransfers;
    long termsWithLeader;
    /** Longest time from healing to the first commit of a new proposal, in ticks. */
    long maxTicksToRecover;
    /** Runs that ended wedged by raft's documented two-voter removal hazard ({@link RemovalWedge}). */
    long wedgedByRemoval;

    Counters finish(Invariants invariants) {
        readsChecked = invariants.readsChecked();
        termsWithLeader = invariants.termsWithLeader();
        return this;
    }

    void add(Counters o) {
        crashes += o.crashes;
        restarts += o.restarts;
        partitions += o.partitions;
        writesApplied += o.writesApplied;
        readsChecked += o.readsChecked;
        confChangesApplied += o.confChangesApplied;
        confChangesRefused += o.confChangesRefused;
        snapshotsTaken += o.snapshotsTaken;
        snapshotsDelivered += o.snapshotsDelivered;
        leaderTransfers += o.leaderTransfers;
        termsWithLeader += o.termsWithLeader;
        maxTicksToRecover = Math.max(maxTicksToRecover, o.maxTicksToRecover);
        wedgedByRemoval += o.wedgedByRemoval;
    }

    @Override
    public String toString() {
        return "crashes=" + crashes + " restarts=" + restarts + " partitions=" + partitions + " writesApplied="
                + writesApplied + " readsChecked=" + readsChecked + " confChangesApplied=" + confChangesApplied
                + " confChangesRefused=" + confChangesRefused
                + " snapshotsTaken=" + snapshotsTaken + " snapshotsDelivered=" + snapshotsDelivered
                + " leaderTransfers=" + leaderTransfers + " termsWithLeader=" + termsWithLeader
                + " maxTicksToRecover=" + maxTicksToRecover + " wedgedByRemoval=" + wedgedByRemoval;
    }
}
