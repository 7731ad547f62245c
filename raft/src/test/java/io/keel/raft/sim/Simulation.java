package io.keel.raft.sim;

import io.keel.raft.ConfChange;
import io.keel.raft.ConfChangeType;
import io.keel.raft.Entry;
import io.keel.raft.MemoryStorage;
import io.keel.raft.EntryType;
import io.keel.raft.Message;
import io.keel.raft.MessageType;
import io.keel.raft.RaftConfig;
import io.keel.raft.RaftStatus;
import io.keel.raft.SnapshotStatus;
import io.keel.raft.StateRole;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

/**
 * One seeded run: boot a cluster, inject faults and client work for a stretch of virtual time (the
 * chaos phase), then heal everything and require that a leader commits a new proposal within a
 * bounded time (the liveness phase). Invariants are checked after every step. Everything random
 * derives from the seed, so a seed replays exactly. Owned by the thread that runs it; not
 * thread-safe.
 */
final class Simulation implements SimNode.Host {
    /** After healing, a new proposal must commit within this many election timeouts. */
    static final int LIVENESS_BOUND_ELECTIONS = 20;
    /**
     * The same without pre-vote. Then a candidate that cannot win (its log too short for the
     * others' votes) still raises the term, which resets everyone's election timer, so the one
     * member that could win may have to wait many rounds for its timer to fire first: raft
     * promises no bound there, only that it happens. Sweeps of 600,000 seeds found two that took
     * longer than 20 election timeouts (145 and 308 ticks) and none that did not elect a leader.
     */
    static final int LIVENESS_BOUND_ELECTIONS_WITHOUT_PRE_VOTE = 100;
    /**
     * Added to the bound for every entry that is in some member's log but not committed when the
     * faults heal: the new proposal commits after them, and with a one-message inflight window and
     * one small entry per message they can commit one round trip (up to 2 ticks) apart. Seed 40081893
     * (300 chaos ticks) healed with 150 entries uncommitted and committed the new proposal 110
     * ticks later, beyond 20 election timeouts of 5 ticks.
     */
    static final long LIVENESS_TICKS_PER_BACKLOG_ENTRY = 2;
    /** Length of the fault phase unless -Dsim.chaosTicks says otherwise; sized for 2,000 seeds in about a minute. */
    static final long DEFAULT_CHAOS_TICKS = 150;
    private static final long LIVENESS_WRITE_BASE = 1L << 40;
    static final String READY_REPORTS_ALL = "Ready reports every change of hard state, role and configuration";
    /** etcd's server stops a removed member ten ticks after it learns of the removal. */
    private static final long REMOVED_MEMBER_STOP_DELAY_TICKS = 10;

    /** What a finished run reports: its trace hash (for determinism) and how much it exercised. */
    record Result(long seed, long traceHash, long events, Counters counters) {
    }

    private final long seed;
    private final long chaosTicks;
    private final SplittableRandom random;
    private final SimClock clock = new SimClock();
    private final SimNetwork network;
    private final Invariants invariants = new Invariants();
    private final Trace trace;
    private final TreeMap<Long, SimNode> nodes = new TreeMap<>();
    /** Each removed member's id and the index of its removal entry (as the first member applied it). */
    private final TreeMap<Long, Long> removedAt = new TreeMap<>();
    private final List<Runnable> deferred = new ArrayList<>();
    private RaftConfig template;
    private final Counters counters = new Counters();
    private final Workload workload;
    private final boolean freshSnapshots;
    private final boolean losesUnsyncedWrites;
    private final PlantedBug plantedBug;
    private long nextActionAtUnits;
    private long nextLivenessWriteId = LIVENESS_WRITE_BASE;
    private boolean livenessWriteCommitted;

    Simulation(long seed, long chaosTicks, boolean verbose) {
        this(seed, chaosTicks, verbose, PlantedBug.NONE);
    }

    /** A run with a deliberately planted bug, for the tests that prove the checkers can fail. */
    Simulation(long seed, long chaosTicks, boolean verbose, PlantedBug plantedBug) {
        this.plantedBug = plantedBug;
        this.seed = seed;
        this.chaosTicks = chaosTicks;
        this.random = new SplittableRandom(seed);
        this.network = new SimNetwork(random.split());
        this.trace = new Trace(verbose);
        this.template = RaftConfig.defaults(1)
                .withTicks(5 + random.nextInt(16), 1 + random.nextInt(3))
                .withPreVote(random.nextInt(5) != 0)
                .withCheckQuorum(random.nextInt(5) != 0)
                .withMaxInflightMsgs(1 << random.nextInt(7))
                .withMaxSizePerMsgBytes(64 + random.nextInt(1024));
        if (random.nextInt(5) == 0) {
            RaftConfig t = template;
            // Followers drop proposals instead of forwarding; the leader bounds uncommitted bytes.
            template = new RaftConfig(t.id(), t.electionTicks(), t.heartbeatTicks(), 0, t.maxSizePerMsgBytes(),
                    t.maxCommittedSizePerReadyBytes(), 64 + random.nextInt(256), t.maxInflightMsgs(),
                    t.checkQuorum(), t.preVote(), t.readOnlyOption(), random.nextBoolean()).validate();
        }
        this.workload = new Workload(this, random.split());
        this.freshSnapshots = random.nextBoolean();
        this.losesUnsyncedWrites = random.nextBoolean();
    }

    Result run() {
        try {
            int voters = new int[] {3, 3, 4, 5, 5, 6, 7}[random.nextInt(7)];
            List<Long> ids = LongStream.rangeClosed(1, voters).boxed().toList();
            trace.event(0, "boot", 0, voters, template.heartbeatTicks());
            ids.forEach(id -> addNode(id).start(ids));
            workload.randomizeNetwork();
            runUntil(SimClock.ticks(chaosTicks), true, () -> false);
            heal();
            long healedAt = clock.now();
            int bound = template.preVote() ? LIVENESS_BOUND_ELECTIONS : LIVENESS_BOUND_ELECTIONS_WITHOUT_PRE_VOTE;
            long backlog = uncommittedBacklog();
            long deadline = healedAt + SimClock.ticks((long) bound * template.electionTicks()
                    + LIVENESS_TICKS_PER_BACKLOG_ENTRY * backlog);
            nextActionAtUnits = clock.now();
            runUntil(deadline, false, () -> livenessWriteCommitted);
            if (livenessWriteCommitted) {
                counters.maxTicksToRecover = (clock.now() - healedAt) / SimClock.UNITS_PER_TICK;
            } else if (RemovalWedge.explains(survivors(), removedAt, goneIds())) {
                // raft's documented two-voter removal hazard (RemovalWedge), which etcd shares.
                trace.event(clock.now(), "wedged-by-removal", 0, 0, 0);
                counters.wedgedByRemoval++;
            } else {
                throw new InvariantViolation("liveness", "no proposal committed within " + bound
                        + " election timeouts and " + LIVENESS_TICKS_PER_BACKLOG_ENTRY + " ticks for each of the "
                        + backlog + " entries not yet committed after healing; leader: " + describeLeader());
            }
            return new Result(seed, trace.hash(), trace.events(), counters.finish(invariants));
        } catch (InvariantViolation v) {
            throw new SimulationFailure(seed, chaosTicks, v.invariant(), v.getMessage(), clock.now(), trace, v);
        } catch (RuntimeException | AssertionError e) {
            throw new SimulationFailure(seed, chaosTicks, "the core (or driver) threw " + e.getClass().getSimpleName(),
                    String.valueOf(e.getMessage()), clock.now(), trace, e);
        }
    }

    private void runUntil(long endUnits, boolean chaos, BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            SimNode ticker = nextTicker();
            long tickAt = ticker == null ? Long.MAX_VALUE : nextTimerOf(ticker);
            SimNetwork.InFlight due = network.peek();
            long deliverAt = due == null ? Long.MAX_VALUE : due.deliverAtUnits();
            long t = Math.min(Math.min(tickAt, deliverAt), nextActionAtUnits);
            if (t > endUnits) {
                clock.advanceTo(endUnits);
                return;
            }
            clock.advanceTo(t);
            SimNode touched = null;
            if (t == deliverAt) {
                touched = deliver(network.poll().message());
            } else if (t == nextActionAtUnits) {
                if (chaos) {
                    workload.act();
                    nextActionAtUnits = t + 1 + random.nextLong(SimClock.ticks(2));
                } else {
                    proposeLivenessWrite();
                    nextActionAtUnits = t + SimClock.ticks(template.electionTicks() / 2);
                }
            } else if (ticker.stopAtUnits() <= t) {
                ticker.stopRemoved();
            } else {
                ticker.setNextTickAtUnits(t + SimClock.UNITS_PER_TICK);
                ticker.tick();
                touched = ticker;
            }
            runDeferred();
            checkAfterStep(touched);
        }
    }

    private SimNode nextTicker() {
        SimNode best = null;
        for (SimNode n : nodes.values()) {
            if (n.isUp() && (best == null || nextTimerOf(n) < nextTimerOf(best))) {
                best = n;
            }
        }
        return best;
    }

    private static long nextTimerOf(SimNode n) {
        return Math.min(n.nextTickAtUnits(), n.stopAtUnits());
    }

    private void checkAfterStep(SimNode touched) {
        for (SimNode n : nodes.values()) {
            if (n.isUp()) {
                invariants.indexes(n.id(), n.stateMachine().appliedIndex(), n.disk().hardState().commit(),
                        n.disk().lastIndex());
            }
        }
        if (touched != null && touched.isUp()) {
            // With every Ready handled, what Raft holds must equal what the driver saw: a change
            // missing from the Ready would never reach the disk and be lost on a crash.
            RaftStatus st = touched.raft().status();
            if (!st.hardState().equals(touched.disk().hardState()) || st.softState().role() != touched.role()
                    || !st.confState().equals(touched.conf())) {
                throw new InvariantViolation(READY_REPORTS_ALL, "node " + touched.id() + " holds " + st.hardState()
                        + " " + st.softState() + " " + st.confState() + " but its Readies gave "
                        + touched.disk().hardState() + " " + touched.role() + " " + touched.conf());
            }
        }
    }

    /** Delivers {@code m}; returns its receiver, or null when the message was dropped. */
    private SimNode deliver(Message m) {
        SimNode to = nodes.get(m.to());
        // Like etcd's transport, a member that applied a peer's removal refuses that peer's messages.
        boolean deliverable = to != null && to.isUp() && network.connected(m.from(), m.to())
                && !(removedAt.containsKey(m.from()) && !to.conf().contains(m.from()));
        if (!deliverable) {
            trace.message(clock.now(), "drop", m);
            if (m.type() == MessageType.SNAP) {
                defer(m.from(), n -> n.reportSnapshot(m.to(), SnapshotStatus.FAILURE));
            }
            return null;
        }
        trace.message(clock.now(), "recv", m);
        to.deliver(m);
        if (m.type() == MessageType.SNAP) {
            counters.snapshotsDelivered++;
            defer(m.from(), n -> n.reportSnapshot(m.to(), SnapshotStatus.FINISH));
        }
        return to;
    }

    @Override
    public void send(SimNode from, Message m) {
        SimNetwork.Outcome outcome = network.send(m, clock.now());
        if (outcome == SimNetwork.Outcome.LOST || outcome == SimNetwork.Outcome.PARTITIONED) {
            trace.message(clock.now(), outcome == SimNetwork.Outcome.LOST ? "lost" : "cut", m);
            if (m.type() == MessageType.SNAP) {
                defer(m.from(), n -> n.reportSnapshot(m.to(), SnapshotStatus.FAILURE));
            } else if (outcome == SimNetwork.Outcome.PARTITIONED) {
                defer(m.from(), n -> n.reportUnreachable(m.to()));
            }
        }
    }

    @Override
    public void applied(SimNode node, Entry e, boolean accepted) {
        if (KvStateMachine.isWrite(e)) {
            invariants.writeAcknowledged(KvStateMachine.keyOf(e), e.index());
            counters.writesApplied++;
            if (KvStateMachine.writeIdOf(e) >= LIVENESS_WRITE_BASE) {
                livenessWriteCommitted = true;
            }
        } else if (e.type() == EntryType.CONF_CHANGE) {
            ConfChange cc = ConfChange.decode(e.data());
            workload.confChangeApplied(cc);
            if (!accepted) {
                trace.event(clock.now(), "conf-refused", cc.nodeId(), e.index(), node.id());
                counters.confChangesRefused++;
                return;
            }
            counters.confChangesApplied++;
            if (cc.type() == ConfChangeType.REMOVE_NODE && removedAt.putIfAbsent(cc.nodeId(), e.index()) == null) {
                trace.event(clock.now(), "member-removed", cc.nodeId(), e.index(), node.id());
                SimNode gone = nodes.get(cc.nodeId());
                if (gone != null) {
                    gone.scheduleStop(clock.now() + SimClock.ticks(REMOVED_MEMBER_STOP_DELAY_TICKS));
                }
            }
        }
    }

    @Override
    public boolean sendsFreshSnapshots() {
        return freshSnapshots;
    }

    @Override
    public MemoryStorage diskOf(long id) {
        SimNode n = nodes.get(id);
        return n == null ? null : n.disk();
    }

    @Override
    public boolean losesUnsyncedWrites() {
        return losesUnsyncedWrites;
    }

    @Override
    public PlantedBug plantedBug() {
        return plantedBug;
    }

    @Override
    public int electionTickAdvance() {
        return random.nextInt(3) == 0 ? random.nextInt(template.electionTicks()) : 0;
    }

    @Override
    public long now() {
        return clock.now();
    }

    /** Runs {@code action} on member {@code id} after the current step, if it is still up. */
    private void defer(long id, java.util.function.Consumer<SimNode> action) {
        deferred.add(() -> {
            SimNode n = nodes.get(id);
            if (n != null && n.isUp()) {
                action.accept(n);
            }
        });
    }

    private void runDeferred() {
        // Reports go in after the sender finished its Ready: the core is not re-entered mid-Ready.
        for (int i = 0; i < deferred.size(); i++) {
            deferred.get(i).run();
        }
        deferred.clear();
    }

    private void heal() {
        trace.event(clock.now(), "heal", 0, 0, 0);
        network.heal();
        network.setFaults(0, 0, 0, SimClock.UNITS_PER_TICK);
        for (SimNode n : nodes.values()) {
            n.armCrash(null);
            if (!n.isUp() && !n.isRemoved()) {
                restart(n);
            }
        }
    }

    private void proposeLivenessWrite() {
        SimNode leader = leader();
        if (leader != null) {
            trace.event(clock.now(), "liveness-propose", leader.id(), nextLivenessWriteId, 0);
            // Servers snapshot periodically; a new snapshot is what lets a member added after the
            // last one catch up when the leader sends stored snapshots.
            leader.snapshotAndCompact(5);
            leader.propose(KvStateMachine.write(0, nextLivenessWriteId++));
        }
    }

    /** The longest log's last index minus the highest commit index, over the members not stopped for good. */
    private long uncommittedBacklog() {
        long last = 0;
        long commit = 0;
        for (SimNode n : nodes.values()) {
            if (!n.isRemoved()) {
                last = Math.max(last, n.disk().lastIndex());
                commit = Math.max(commit, n.disk().hardState().commit());
            }
        }
        return Math.max(0, last - commit);
    }

    private List<RemovalWedge.Survivor> survivors() {
        List<RemovalWedge.Survivor> out = new ArrayList<>();
        for (SimNode n : nodes.values()) {
            if (!n.isRemoved()) {
                out.add(new RemovalWedge.Survivor(n.id(), n.conf().voters(), n.disk().hardState().commit()));
            }
        }
        return out;
    }

    private Set<Long> goneIds() {
        Set<Long> gone = new TreeSet<>();
        nodes.values().stream().filter(SimNode::isRemoved).forEach(n -> gone.add(n.id()));
        return gone;
    }

    private String describeLeader() {
        SimNode leader = leader();
        StringBuilder sb = new StringBuilder(leader == null ? "none" : "n" + leader.id() + " term " + leader.term());
        for (SimNode n : nodes.values()) {
            sb.append("; n").append(n.id()).append(n.isRemoved() ? " removed" : n.isUp() ? " " + n.role() : " down")
                    .append(" t").append(n.term()).append(" last ").append(n.disk().lastIndex())
                    .append(" commit ").append(n.disk().hardState().commit()).append(" conf ").append(n.conf());
        }
        return sb.toString();
    }

    // --- used by Workload ---

    SimNode addNode(long id) {
        RaftConfig t = template;
        RaftConfig config = new RaftConfig(id, t.electionTicks(), t.heartbeatTicks(), 0, t.maxSizePerMsgBytes(),
                t.maxCommittedSizePerReadyBytes(), t.maxUncommittedEntriesSizeBytes(), t.maxInflightMsgs(),
                t.checkQuorum(), t.preVote(), t.readOnlyOption(), t.disableProposalForwarding()).validate();
        SimNode n = new SimNode(id, config, seed, this, invariants, trace);
        n.setNextTickAtUnits(clock.now() + 1 + random.nextLong(SimClock.UNITS_PER_TICK));
        nodes.put(id, n);
        return n;
    }

    void restart(SimNode n) {
        counters.restarts++;
        n.setNextTickAtUnits(clock.now() + 1 + random.nextLong(SimClock.UNITS_PER_TICK));
        n.restart();
    }

    void crash(SimNode n) {
        counters.crashes++;
        n.crash();
    }

    /** The up member that believes it leads the highest term, or null. */
    SimNode leader() {
        SimNode best = null;
        for (SimNode n : nodes.values()) {
            if (n.isUp() && n.role() == StateRole.LEADER && (best == null || n.term() > best.term())) {
                best = n;
            }
        }
        return best;
    }

    Collection<SimNode> nodes() {
        return nodes.values();
    }

    SimNetwork network() {
        return network;
    }

    Invariants invariants() {
        return invariants;
    }

    Trace trace() {
        return trace;
    }

    Counters counters() {
        return counters;
    }
}
