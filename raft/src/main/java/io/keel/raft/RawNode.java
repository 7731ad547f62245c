package io.keel.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * A Raft member as a pure state machine, in the style of etcd's raft.RawNode: no I/O, no threads,
 * no clock; time advances only through {@link #tick()}, randomness comes from the injected source.
 *
 * <p>Not thread-safe: exactly one thread (the application's Raft thread) owns an instance.
 * See {@link Ready} for the persist / send / apply / advance contract. At most one Ready is
 * outstanding: {@link #ready()} may be called again only after {@link #advance(Ready)}.
 *
 * <p><b>Restart and configuration (etcd's model).</b> On construction the configuration comes from
 * {@link RaftStorage#initialState()}, i.e. the latest snapshot's {@link ConfState}. Conf-change
 * entries after that snapshot are handed out again as committed entries (from
 * {@link RaftConfig#applied()}, which should therefore be the snapshot index, or 0), and the
 * application must call {@link #applyConfChange} for each of them again, exactly as on first
 * delivery. An application that restarts with a larger {@code applied} must itself re-apply the
 * conf changes in (snapshot index, applied].
 *
 * <p><b>Membership.</b> One change at a time: while a conf change is proposed but not yet applied,
 * the leader turns any further conf-change proposal (and any invalid one, such as removing the last
 * voter) into an empty normal entry, as etcd does; the proposer never sees it applied.
 */
public final class RawNode {
    private final Raft raft;
    private SoftState prevSoftState;
    private HardState prevHardState;
    private Ready outstanding;

    /**
     * Restarts (or starts fresh on) {@code storage}. The configuration comes from
     * {@link RaftStorage#initialState()}; a brand-new cluster calls {@link #bootstrap} first.
     */
    public RawNode(RaftConfig config, RaftStorage storage, RandomGenerator random) {
        this.raft = new Raft(config, storage, random);
        this.prevSoftState = raft.softState();
        this.prevHardState = raft.hardState();
    }

    /**
     * For a new cluster on empty storage: appends one ADD_NODE conf-change entry per voter at term 1
     * (as etcd's Bootstrap), committed, so every member starts with the same log. The entries come
     * out of the next {@link #ready()} for persisting and applying; applying them again with
     * {@link #applyConfChange} is harmless.
     *
     * @throws IllegalStateException when the storage is not empty or voters is empty
     */
    public void bootstrap(List<Long> voters) {
        if (voters.isEmpty()) {
            throw new IllegalStateException("must provide at least one voter to bootstrap");
        }
        if (raft.log.lastIndex() != 0) {
            throw new IllegalStateException("can't bootstrap a non-empty storage");
        }
        // Nothing is persisted yet: the first Ready must carry the hard state.
        prevHardState = HardState.EMPTY;
        raft.becomeFollower(1, 0);
        List<Entry> entries = new ArrayList<>(voters.size());
        for (int i = 0; i < voters.size(); i++) {
            ConfChange cc = new ConfChange(ConfChangeType.ADD_NODE, voters.get(i), null);
            entries.add(new Entry(1, i + 1, EntryType.CONF_CHANGE, cc.encode()));
        }
        raft.log.append(entries);
        raft.log.commitTo(entries.size());
        // Applied here so the node can campaign at once; applied is left at 0 so the application
        // still sees (and re-applies) every conf change in its committed entries.
        for (long voter : voters) {
            raft.applyConfChange(new ConfChange(ConfChangeType.ADD_NODE, voter, null));
        }
    }

    /** Advances logical time by one tick (election / heartbeat timers). */
    public void tick() {
        raft.tick();
    }

    /**
     * Makes the election timer expire sooner on start (etcd's --initial-election-tick-advance):
     * moves the election clock forward by {@code ticks} without campaigning; the next
     * {@link #tick()} campaigns if the advanced clock has reached the election timeout.
     */
    public void advanceElectionTicks(int ticks) {
        raft.advanceElectionTicks(ticks);
    }

    /** Starts an election now (pre-vote first when enabled). */
    public void campaign() {
        raft.step(raft.local(MessageType.HUP));
    }

    /** Proposes data to be appended; throws {@link ProposalDroppedException} if not accepted. */
    public void propose(byte[] data) {
        raft.step(proposal(new Entry(0, 0, EntryType.NORMAL, data)));
    }

    /**
     * Proposes a membership change; throws {@link ProposalDroppedException} if not accepted. A
     * leader turns a change it must refuse (another one pending, or no voter left) into an empty
     * normal entry, as etcd does.
     */
    public void proposeConfChange(ConfChange change) {
        raft.step(proposal(new Entry(0, 0, EntryType.CONF_CHANGE, change.encode())));
    }

    private Message proposal(Entry entry) {
        return Message.builder(MessageType.PROP).from(raft.id).entries(List.of(entry)).build();
    }

    /** Applies a committed conf change to the Raft configuration; returns the new configuration. */
    public ConfState applyConfChange(ConfChange change) {
        return raft.applyConfChange(change);
    }

    /**
     * Feeds a message received from a peer. Local message types are rejected with
     * IllegalArgumentException; responses from members not in the configuration are dropped (as
     * etcd's ErrStepPeerNotFound). A forwarded proposal the leader cannot accept is dropped here:
     * the forwarding member's caller sees it never commit, as in etcd.
     */
    public void step(Message message) {
        if (message.type().isLocal()) {
            throw new IllegalArgumentException("cannot step a local message from the network: " + message.type());
        }
        if (message.type().isResponse() && raft.tracker.progress(message.from()) == null) {
            return;
        }
        try {
            raft.step(message);
        } catch (ProposalDroppedException e) {
            if (message.type() != MessageType.PROP) {
                throw e;
            }
        }
    }

    /** Requests a linearizable read point; answered by a {@link ReadState} in a later Ready. */
    public void readIndex(byte[] context) {
        raft.step(Message.builder(MessageType.READ_INDEX).context(context).build());
    }

    /** Asks the leader to hand leadership to {@code transferee}. */
    public void transferLeader(long transferee) {
        raft.step(Message.builder(MessageType.TRANSFER_LEADER).from(transferee).build());
    }

    /** Tells the leader the transport could not reach {@code id}. */
    public void reportUnreachable(long id) {
        raft.step(Message.builder(MessageType.UNREACHABLE).from(id).build());
    }

    /** Tells the leader how sending a snapshot to {@code id} ended. */
    public void reportSnapshot(long id, SnapshotStatus status) {
        raft.step(Message.builder(MessageType.SNAP_STATUS).from(id).reject(status == SnapshotStatus.FAILURE)
                .build());
    }

    /** Whether {@link #ready()} has anything to hand out; false while a Ready is outstanding. */
    public boolean hasReady() {
        if (outstanding != null) {
            return false;
        }
        if (!raft.softState().equals(prevSoftState)) {
            return true;
        }
        HardState hs = raft.hardState();
        if (!hs.isEmpty() && !hs.equals(prevHardState)) {
            return true;
        }
        return raft.log.hasPendingSnapshot() || !raft.msgs.isEmpty() || raft.log.hasUnstableEntries()
                || raft.log.hasNextEntries() || !raft.readStates.isEmpty();
    }

    /**
     * The pending work; call {@link #advance(Ready)} with it once done.
     *
     * @throws IllegalStateException when the previous Ready was not advanced yet
     */
    public Ready ready() {
        if (outstanding != null) {
            throw new IllegalStateException("the previous Ready was not advanced");
        }
        SoftState ss = raft.softState();
        HardState hs = raft.hardState();
        Snapshot snap = raft.log.hasPendingSnapshot() ? raft.log.pendingSnapshot() : Snapshot.EMPTY;
        List<Entry> entries = raft.log.unstableEntries();
        HardState newHs = hs.equals(prevHardState) ? null : hs;
        // etcd's rule: new entries, or a new term or vote, must be durable before any message
        // goes out. A snapshot must be durable too before we acknowledge it.
        boolean mustSync = !entries.isEmpty() || hs.term() != prevHardState.term()
                || hs.vote() != prevHardState.vote() || !snap.isEmpty();
        // A leader whose term and vote are already durable may replicate while it persists
        // (Raft thesis 10.2.1): its own copy only counts once persisted (Raft.advance).
        boolean leaderSendsFirst = raft.state == StateRole.LEADER && snap.isEmpty()
                && hs.term() == prevHardState.term() && hs.vote() == prevHardState.vote();
        Ready rd = new Ready(ss.equals(prevSoftState) ? null : ss, newHs, raft.readStates, entries, snap,
                raft.log.nextEntries(), raft.msgs, mustSync, leaderSendsFirst);
        raft.msgs = new ArrayList<>();
        raft.readStates = new ArrayList<>();
        prevSoftState = ss;
        outstanding = rd;
        return rd;
    }

    /** Acknowledges that {@code ready} was persisted, sent and applied. */
    public void advance(Ready ready) {
        if (ready != outstanding) {
            throw new IllegalStateException("advance must be given the Ready last returned by ready()");
        }
        outstanding = null;
        if (ready.hardState() != null) {
            prevHardState = ready.hardState();
        }
        List<Entry> committed = ready.committedEntries();
        long applied = !committed.isEmpty() ? committed.get(committed.size() - 1).index()
                : ready.snapshot().metadata().index();
        List<Entry> entries = ready.entries();
        raft.advance(applied, entries.isEmpty() ? null : entries.get(entries.size() - 1),
                ready.snapshot().metadata().index(), committed);
    }

    /** A snapshot of this member's state for diagnostics and the server (leader, term, progress). */
    public RaftStatus status() {
        Map<Long, RaftStatus.ProgressView> progress = new TreeMap<>();
        if (raft.state == StateRole.LEADER) {
            raft.tracker.visit((id, pr) -> progress.put(id, new RaftStatus.ProgressView(pr.match(), pr.next(),
                    pr.state().name(), pr.recentActive(), pr.isLearner())));
        }
        return new RaftStatus(raft.id, raft.hardState(), raft.softState(), raft.log.applied(), raft.leadTransferee,
                raft.tracker.confState(), java.util.Collections.unmodifiableMap(progress));
    }

    /** The Raft state machine, for tests in this package. */
    Raft raft() {
        return raft;
    }
}
