package io.keel.raft.sim;

import io.keel.raft.ConfChange;
import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.HardState;
import io.keel.raft.MemoryStorage;
import io.keel.raft.Message;
import io.keel.raft.ProposalDroppedException;
import io.keel.raft.RaftConfig;
import io.keel.raft.RawNode;
import io.keel.raft.ReadState;
import io.keel.raft.SnapshotStatus;
import io.keel.raft.StateRole;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One simulated member: a {@link RawNode} driven by the Ready contract, over a {@link MemoryStorage}
 * that stands for its disk. Only the disk survives {@link #crash()} (less, in some seeds, a hard
 * state written without a durability barrier); the state machine, pending reads and the RawNode
 * are volatile. On restart the state machine is rebuilt from the disk's snapshot and
 * the RawNode re-delivers the committed entries after it (etcd's model: {@code applied} is the
 * snapshot index, and conf changes after the snapshot are applied again as they come back).
 * Owned by one {@link Simulation}; not thread-safe.
 */
final class SimNode {
    /** Where in the handling of a Ready an armed crash strikes. */
    enum CrashPoint { BEFORE_PERSIST, AFTER_EARLY_SEND, AFTER_PERSIST, AFTER_SEND, MID_APPLY, BEFORE_ADVANCE }

    /** What the node needs from the simulation around it. */
    interface Host {
        long now();

        void send(SimNode from, Message m);

        /** {@code accepted}: false for a conf change the state machine refused. */
        void applied(SimNode node, Entry e, boolean accepted);

        /** The member's disk, or null for an unknown id; for checks that look across members. */
        MemoryStorage diskOf(long id);

        /**
         * Whether a leader sends a snapshot of its current applied state instead of the one in its
         * storage, as etcd's server does (its "merged" snapshot). A stored snapshot may predate the
         * member it is sent to, and a member ignores a snapshot whose configuration lacks it.
         */
        boolean sendsFreshSnapshots();

        /**
         * Whether writes of a Ready with {@code mustSync() == false} stay volatile until the next
         * durability barrier (so that a crash loses them), rather than being durable at once.
         */
        boolean losesUnsyncedWrites();

        /** A deliberately planted bug, to prove the checkers catch what it causes; NONE normally. */
        PlantedBug plantedBug();

        /** Election ticks to skip on restart (etcd's --initial-election-tick-advance), 0 for none. */
        int electionTickAdvance();
    }

    private static final int MAX_READIES_PER_INPUT = 10_000;

    private final long id;
    private final RaftConfig config;
    private final long seed;
    private final Host host;
    private final Invariants invariants;
    private final Trace trace;
    private MemoryStorage disk = new MemoryStorage();
    private final TreeMap<Long, PendingRead> pendingReads = new TreeMap<>();

    private RawNode raft;
    private KvStateMachine sm;
    private ConfState conf = ConfState.EMPTY;
    private StateRole role = StateRole.FOLLOWER;
    private long leaderId;
    private long recordedCommit;
    private int incarnation;
    private boolean removed;
    private CrashPoint armedCrash;
    private long nextTickAtUnits;
    private long stopAtUnits = Long.MAX_VALUE;
    /** The hard state as of the last durability barrier; a crash reverts the disk to it. */
    private HardState syncedHardState = HardState.EMPTY;

    private static final class PendingRead {
        final Invariants.ReadRequest request;
        long readIndex = -1;

        PendingRead(Invariants.ReadRequest request) {
            this.request = request;
        }
    }

    SimNode(long id, RaftConfig config, long seed, Host host, Invariants invariants, Trace trace) {
        this.id = id;
        this.config = config;
        this.seed = seed;
        this.host = host;
        this.invariants = invariants;
        this.trace = trace;
    }

    /** First start: empty disk; {@code voters} bootstraps a new cluster, null joins an existing one. */
    void start(List<Long> voters) {
        sm = new KvStateMachine();
        raft = newRawNode();
        trace.event(host.now(), "start", id, voters == null ? 0 : voters.size(), 0);
        if (voters != null) {
            raft.bootstrap(voters);
        }
        drain();
    }

    void crash() {
        trace.event(host.now(), "crash", id, incarnation, disk.lastIndex());
        if (stopAtUnits != Long.MAX_VALUE) {
            removed = true; // crashed after its removal: never comes back
        }
        raft = null;
        sm = null;
        pendingReads.clear();
        if (host.plantedBug() == PlantedBug.DISK_LOSES_ACKNOWLEDGED_TAIL) {
            loseLastEntry();
        }
        if (!disk.hardState().equals(syncedHardState)) {
            // Written without a barrier (Ready.mustSync() was false): the crash loses it.
            trace.event(host.now(), "lose-unsynced", id, disk.hardState().commit(), syncedHardState.commit());
            disk.setHardState(syncedHardState);
            invariants.unsyncedHardStateLost(id, syncedHardState);
        }
        role = StateRole.FOLLOWER;
        leaderId = 0;
        armedCrash = null;
    }

    void restart() {
        incarnation++;
        var snap = disk.snapshot();
        sm = KvStateMachine.decode(snap.data());
        if (sm.appliedIndex() != snap.metadata().index()) {
            throw new IllegalStateException("snapshot data at " + sm.appliedIndex() + " but metadata at "
                    + snap.metadata().index());
        }
        conf = snap.metadata().confState();
        recordedCommit = disk.hardState().commit();
        raft = newRawNode();
        int advance = host.electionTickAdvance();
        if (advance > 0) {
            raft.advanceElectionTicks(advance);
        }
        trace.event(host.now(), "restart", id, incarnation, advance);
        invariants.restarted(id, raft.status().hardState());
        invariants.restored(id, sm.appliedIndex(), sm.chain());
        drain();
    }

    /** The broken disk: forgets the last log entry although it was reported durable. */
    private void loseLastEntry() {
        MemoryStorage old = disk;
        long snapshotIndex = old.snapshot().metadata().index();
        long newLast = Math.max(snapshotIndex, old.lastIndex() - 1);
        MemoryStorage lossy = new MemoryStorage();
        if (!old.snapshot().isEmpty()) {
            lossy.applySnapshot(old.snapshot());
        }
        long from = Math.max(old.firstIndex(), snapshotIndex + 1);
        if (newLast >= from) {
            lossy.append(old.entries(from, newLast + 1, Long.MAX_VALUE));
        }
        HardState hs = old.hardState();
        lossy.setHardState(new HardState(hs.term(), hs.vote(), Math.min(hs.commit(), newLast)));
        disk = lossy;
    }

    /**
     * Stops a member for good at {@code atUnits}, once it is out of the configuration. etcd's server
     * stops a removed member after a delay (stopWithDelay) so that a removed leader can still tell
     * the others that its removal committed. A member that is down stays down.
     */
    void scheduleStop(long atUnits) {
        if (!isUp()) {
            removed = true;
        }
        stopAtUnits = Math.min(stopAtUnits, atUnits);
    }

    long stopAtUnits() {
        return stopAtUnits;
    }

    void stopRemoved() {
        trace.event(host.now(), "stop-removed", id, 0, 0);
        if (isUp()) {
            crash();
        }
        removed = true;
    }

    private RawNode newRawNode() {
        long applied = disk.snapshot().metadata().index();
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id * 1_000_003L + incarnation);
        return new RawNode(config.withApplied(applied), disk, random);
    }

    void tick() {
        raft.tick();
        drain();
    }

    void deliver(Message m) {
        raft.step(m);
        drain();
    }

    /** Returns false when Raft dropped the proposal (no leader, transfer in progress, ...). */
    boolean propose(byte[] data) {
        try {
            raft.propose(data);
            return true;
        } catch (ProposalDroppedException dropped) {
            return false;
        } finally {
            drain();
        }
    }

    boolean proposeConfChange(ConfChange change) {
        try {
            raft.proposeConfChange(change);
            return true;
        } catch (ProposalDroppedException dropped) {
            return false;
        } finally {
            drain();
        }
    }

    void readIndex(long readId, Invariants.ReadRequest request) {
        if (host.plantedBug() == PlantedBug.READ_WITHOUT_READ_INDEX) {
            invariants.readServed(id, request, sm.appliedIndex(), sm);
            return;
        }
        pendingReads.put(readId, new PendingRead(request));
        raft.readIndex(ByteBuffer.allocate(8).putLong(readId).array());
        drain();
    }

    void campaign() {
        raft.campaign();
        drain();
    }

    void transferLeader(long transferee) {
        raft.transferLeader(transferee);
        drain();
    }

    void reportSnapshot(long to, SnapshotStatus status) {
        raft.reportSnapshot(to, status);
        drain();
    }

    void reportUnreachable(long to) {
        raft.reportUnreachable(to);
        drain();
    }

    /** Takes a snapshot at the applied index and compacts the log, keeping {@code keep} entries. */
    void snapshotAndCompact(int keep) {
        long applied = sm.appliedIndex();
        if (applied <= disk.snapshot().metadata().index()) {
            return;
        }
        disk.createSnapshot(applied, conf, sm.encode());
        synced(); // saving a snapshot syncs the log and hard state written before it, as etcd's does
        long compactTo = applied - keep;
        if (compactTo > disk.firstIndex() - 1) {
            disk.compact(compactTo);
        }
        trace.event(host.now(), "snapshot", id, applied, compactTo);
    }

    /** A durability barrier: all the disk holds now survives a crash. */
    void synced() {
        syncedHardState = disk.hardState();
    }

    /** Makes the next Ready crash this member at {@code point}; null disarms. */
    void armCrash(CrashPoint point) {
        armedCrash = point;
    }

    private void drain() {
        int readies = 0;
        while (raft != null && raft.hasReady()) {
            if (++readies > MAX_READIES_PER_INPUT) {
                throw new InvariantViolation("ready loop settles", "node " + id + " kept producing Readies");
            }
            new ReadyHandler(this).handle(raft.ready());
        }
    }

    // --- accessors for ReadyHandler, the simulation and the invariants ---

    long id() {
        return id;
    }

    boolean isUp() {
        return raft != null;
    }

    boolean isRemoved() {
        return removed;
    }

    MemoryStorage disk() {
        return disk;
    }

    KvStateMachine stateMachine() {
        return sm;
    }

    ConfState conf() {
        return conf;
    }

    StateRole role() {
        return role;
    }

    long term() {
        return disk.hardState().term();
    }

    long nextTickAtUnits() {
        return nextTickAtUnits;
    }

    void setNextTickAtUnits(long units) {
        nextTickAtUnits = units;
    }

    RawNode raft() {
        return raft;
    }

    Host host() {
        return host;
    }

    Invariants invariants() {
        return invariants;
    }

    Trace trace() {
        return trace;
    }

    CrashPoint takeArmedCrash() {
        CrashPoint p = armedCrash;
        armedCrash = null;
        return p;
    }

    void setRole(StateRole newRole, long newLeader) {
        role = newRole;
        leaderId = newLeader;
    }

    void setConf(ConfState newConf) {
        conf = newConf;
    }

    void setStateMachine(KvStateMachine restored) {
        sm = restored;
    }

    long recordedCommit() {
        return recordedCommit;
    }

    void setRecordedCommit(long commit) {
        recordedCommit = commit;
    }

    /** Records a ReadIndex answer, then serves every read whose index is applied. */
    void readStates(List<ReadState> states) {
        for (ReadState rs : states) {
            if (rs.context().length != 8) {
                continue;
            }
            PendingRead p = pendingReads.get(ByteBuffer.wrap(rs.context()).getLong());
            if (p != null) {
                p.readIndex = rs.index();
            }
        }
        var it = pendingReads.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            PendingRead p = e.getValue();
            if (p.readIndex >= 0 && p.readIndex <= sm.appliedIndex()) {
                trace.event(host.now(), "read", id, e.getKey(), p.readIndex);
                invariants.readServed(id, p.request, p.readIndex, sm);
                it.remove();
            }
        }
    }

}
