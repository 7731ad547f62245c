package io.keel.raft;

import io.keel.raft.confchange.Changer;
import io.keel.raft.log.RaftLog;
import io.keel.raft.readonly.ReadOnly;
import io.keel.raft.tracker.Progress;
import io.keel.raft.tracker.ProgressTracker;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The Raft state machine of one member (etcd's raft struct): term, vote, role, log and the
 * leader's progress tracking. Role-specific message handling lives in {@link LeaderStep},
 * {@link CandidateStep} and {@link FollowerStep}; campaigns and votes in {@link Elections}; APPs
 * and heartbeats in {@link Replicator}; configuration changes in {@link Reconfiguration}.
 * Messages produced are collected in {@link #msgs} for the next Ready.
 *
 * <p>Invariants: {@code lead == id} iff the role is LEADER; a vote is cast at most once per term.
 * Owned by a {@link RawNode}; not thread-safe.
 */
final class Raft {
    final long id;
    final RaftConfig config;
    private final RandomGenerator random;
    final RaftLog log;
    final ProgressTracker tracker;

    long term;
    long vote;
    StateRole state = StateRole.FOLLOWER;
    boolean isLearner;
    /** The leader of {@link #term} as far as this member knows, 0 for none. */
    long lead;
    /** Target of an ongoing leadership transfer, 0 for none. */
    long leadTransferee;
    /** Index of the latest conf change proposed by this leader; no new one until it is applied. */
    long pendingConfIndex;
    /** Payload bytes proposed and not yet committed (leader only). */
    long uncommittedSizeBytes;
    ReadOnly readOnly;
    /** ReadIndex requests held until this leader has committed an entry of its term. */
    List<Message> pendingReadIndexMessages = new ArrayList<>();
    List<Message> msgs = new ArrayList<>();
    List<ReadState> readStates = new ArrayList<>();

    /** Ticks since the last election timeout reset (follower, candidate) or check-quorum (leader). */
    int electionElapsed;
    int heartbeatElapsed;
    /** The current election timeout, drawn from [electionTicks, 2 * electionTicks). */
    int randomizedElectionTimeout;
    private RoleStep step;

    Raft(RaftConfig config, RaftStorage storage, RandomGenerator random) {
        this.config = config.validate();
        this.id = config.id();
        this.random = random;
        this.log = new RaftLog(storage, config.maxCommittedSizePerReadyBytes());
        this.tracker = new ProgressTracker(config.maxInflightMsgs());
        this.readOnly = new ReadOnly(config.readOnlyOption());
        InitialState initial = storage.initialState();
        Changer.restore(tracker, initial.confState(), log.lastIndex());
        refreshLearnerFlag();
        HardState hs = initial.hardState();
        if (!hs.isEmpty()) {
            log.restoreCommitted(hs.commit());
            term = hs.term();
            vote = hs.vote();
        }
        // An applied index at or below the snapshot adds nothing: the log starts after it anyway.
        if (config.applied() > log.applied()) {
            log.appliedTo(config.applied());
        }
        becomeFollower(term, 0);
    }

    SoftState softState() {
        return new SoftState(lead, state);
    }

    HardState hardState() {
        return new HardState(term, vote, log.committed());
    }

    // ---- sending ------------------------------------------------------------------------------

    /** Queues {@code m} for the next Ready, stamping sender and term as etcd does. */
    void send(Message m) {
        long from = m.from() == 0 ? id : m.from();
        long msgTerm = m.term();
        MessageType t = m.type();
        if (t == MessageType.VOTE || t == MessageType.VOTE_RESP || t == MessageType.PRE_VOTE
                || t == MessageType.PRE_VOTE_RESP) {
            // Vote messages carry the term they are about, which for pre-votes is a future one.
            assert msgTerm != 0 : "vote message without a term: " + m;
        } else {
            assert msgTerm == 0 : "term set on a non-vote message: " + m;
            // Proposals and ReadIndex requests are forwarded like local messages: no term.
            if (t != MessageType.PROP && t != MessageType.READ_INDEX) {
                msgTerm = term;
            }
        }
        msgs.add(new Message(t, m.to(), from, msgTerm, m.logTerm(), m.index(), m.entries(), m.commit(),
                m.snapshot(), m.reject(), m.rejectHint(), m.context(), m.commitOnly()));
    }

    // ---- role changes -------------------------------------------------------------------------

    void becomeFollower(long newTerm, long leader) {
        step = FollowerStep.INSTANCE;
        reset(newTerm);
        lead = leader;
        state = StateRole.FOLLOWER;
    }

    void becomeCandidate() {
        if (state == StateRole.LEADER) {
            throw new IllegalStateException("invalid transition [leader -> candidate]");
        }
        step = CandidateStep.INSTANCE;
        reset(term + 1);
        vote = id;
        state = StateRole.CANDIDATE;
    }

    void becomePreCandidate() {
        if (state == StateRole.LEADER) {
            throw new IllegalStateException("invalid transition [leader -> pre-candidate]");
        }
        // Neither the term nor the vote changes: a pre-vote round disturbs nobody if it fails.
        step = CandidateStep.INSTANCE;
        tracker.resetVotes();
        lead = 0;
        state = StateRole.PRE_CANDIDATE;
    }

    void becomeLeader() {
        if (state == StateRole.FOLLOWER) {
            throw new IllegalStateException("invalid transition [follower -> leader]");
        }
        assert tracker.voters().contains(id) : "only a voter can lead";
        step = LeaderStep.INSTANCE;
        reset(term);
        lead = id;
        state = StateRole.LEADER;
        tracker.progress(id).becomeReplicate();
        // Any conf change in our log may be unapplied: accept none until all of it is applied.
        pendingConfIndex = log.lastIndex();
        Entry noop = Entry.normal(0, 0, null);
        if (!appendEntry(List.of(noop))) {
            throw new IllegalStateException("empty entry was dropped");
        }
        // The no-op does not count against the uncommitted quota (it is empty anyway).
        assert uncommittedSizeBytes == 0;
    }

    private void reset(long newTerm) {
        if (term != newTerm) {
            assert newTerm > term : "term went backwards: " + term + " -> " + newTerm;
            term = newTerm;
            vote = 0;
        }
        lead = 0;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        randomizedElectionTimeout = config.electionTicks() + random.nextInt(config.electionTicks());
        abortLeaderTransfer();
        tracker.resetVotes();
        long last = log.lastIndex();
        // Our own match is what is durable: unstable entries are counted once persisted (advance()).
        long durable = Math.min(last, log.stableLastIndex());
        tracker.visit((pid, pr) -> {
            Progress fresh = new Progress(pid == id ? durable : 0, last + 1, config.maxInflightMsgs(), pr.isLearner());
            tracker.replaceProgress(pid, fresh);
        });
        pendingConfIndex = 0;
        uncommittedSizeBytes = 0;
        readOnly = new ReadOnly(config.readOnlyOption());
        pendingReadIndexMessages = new ArrayList<>();
    }

    void abortLeaderTransfer() {
        leadTransferee = 0;
    }

    // ---- time ---------------------------------------------------------------------------------

    void tick() {
        if (state == StateRole.LEADER) {
            tickHeartbeat();
        } else {
            tickElection();
        }
    }

    private void tickElection() {
        electionElapsed++;
        if (promotable() && electionElapsed >= randomizedElectionTimeout) {
            electionElapsed = 0;
            step(local(MessageType.HUP));
        }
    }

    private void tickHeartbeat() {
        heartbeatElapsed++;
        electionElapsed++;
        if (electionElapsed >= config.electionTicks()) {
            electionElapsed = 0;
            if (config.checkQuorum()) {
                step(local(MessageType.CHECK_QUORUM));
            }
            // A transfer that did not finish within an election timeout is abandoned.
            if (state == StateRole.LEADER && leadTransferee != 0) {
                abortLeaderTransfer();
            }
        }
        if (state != StateRole.LEADER) {
            return;
        }
        if (heartbeatElapsed >= config.heartbeatTicks()) {
            heartbeatElapsed = 0;
            step(local(MessageType.BEAT));
        }
    }

    Message local(MessageType type) {
        return Message.builder(type).from(id).to(id).build();
    }

    // ---- stepping -----------------------------------------------------------------------------

    /** Entry point for every message: applies the term rules, then the role's step function. */
    void step(Message m) {
        if (m.term() > term) {
            if (!acceptHigherTerm(m)) {
                return;
            }
        } else if (m.term() != 0 && m.term() < term) {
            stepLowerTerm(m);
            return;
        }
        switch (m.type()) {
            case HUP -> Elections.hup(this, config.preVote() ? CampaignType.PRE_ELECTION : CampaignType.ELECTION);
            case VOTE, PRE_VOTE -> Elections.handleVoteRequest(this, m);
            default -> step.step(this, m);
        }
    }

    /** A message from a higher term: maybe ignore it (lease), maybe step down. False to drop. */
    private boolean acceptHigherTerm(Message m) {
        if (m.type() == MessageType.VOTE || m.type() == MessageType.PRE_VOTE) {
            boolean force = CampaignType.isTransferContext(m.context());
            boolean inLease = config.checkQuorum() && lead != 0 && electionElapsed < config.electionTicks();
            if (!force && inLease) {
                // We heard from a leader within the minimum election timeout: a disruptive
                // candidate (e.g. rejoining from a partition) must not depose it.
                return false;
            }
        }
        if (m.type() == MessageType.PRE_VOTE) {
            return true; // never change our term in response to a pre-vote
        }
        if (m.type() == MessageType.PRE_VOTE_RESP && !m.reject()) {
            // Granted pre-votes carry the future term we asked about; the term moves only once a
            // quorum grants them.
            return true;
        }
        boolean fromLeader = m.type() == MessageType.APP || m.type() == MessageType.HEARTBEAT
                || m.type() == MessageType.SNAP;
        becomeFollower(m.term(), fromLeader ? m.from() : 0);
        return true;
    }

    private void stepLowerTerm(Message m) {
        if ((config.checkQuorum() || config.preVote())
                && (m.type() == MessageType.HEARTBEAT || m.type() == MessageType.APP)) {
            // A stale leader (e.g. isolated while we elected a new one) would otherwise never learn
            // the new term: with check-quorum or pre-vote our own elections may not reach it.
            send(Message.builder(MessageType.APP_RESP).to(m.from()).build());
        } else if (m.type() == MessageType.PRE_VOTE) {
            // Reject explicitly so a pre-candidate with an old term learns ours and cannot stall.
            send(Message.builder(MessageType.PRE_VOTE_RESP).to(m.from()).term(term).reject(true).build());
        }
        // Other stale messages are ignored.
    }

    // ---- elections ----------------------------------------------------------------------------

    /** Whether this member may become leader: a voter in the config with no snapshot pending. */
    boolean promotable() {
        Progress pr = tracker.progress(id);
        return pr != null && !pr.isLearner() && !log.hasPendingSnapshot();
    }

    // ---- proposals ----------------------------------------------------------------------------

    /** Leader: appends {@code entries} in the current term; false when over the uncommitted quota. */
    boolean appendEntry(List<Entry> entries) {
        long last = log.lastIndex();
        List<Entry> stamped = new ArrayList<>(entries.size());
        long size = 0;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            stamped.add(new Entry(term, last + 1 + i, e.type(), e.data()));
            size += e.payloadSizeBytes();
        }
        long limit = config.maxUncommittedEntriesSizeBytes();
        // As etcd: one proposal may exceed the limit when nothing is uncommitted, so a large entry
        // can always make progress.
        if (limit > 0 && uncommittedSizeBytes > 0 && size > 0 && uncommittedSizeBytes + size > limit) {
            return false;
        }
        uncommittedSizeBytes += size;
        long newLast = log.append(stamped);
        assert newLast == last + entries.size();
        // The leader's own copy counts toward a quorum only once it is durable (advance()): its
        // appends may go out before its own fsync, and an unsynced copy must never complete a
        // quorum that a crash of this member could then undo.
        assert log.committed() <= newLast;
        return true;
    }

    void reduceUncommittedSize(List<Entry> committed) {
        long size = 0;
        for (Entry e : committed) {
            size += e.payloadSizeBytes();
        }
        uncommittedSizeBytes = size > uncommittedSizeBytes ? 0 : uncommittedSizeBytes - size;
    }

    /** Leader: commits what a quorum has; only entries of the current term commit by counting. */
    boolean maybeCommit() {
        return log.maybeCommit(tracker.committed(), term);
    }

    boolean committedEntryInCurrentTerm() {
        return log.termOrZero(log.committed()) == term;
    }

    // ---- configuration ------------------------------------------------------------------------

    /** Applies a committed conf change; see {@link Reconfiguration#apply}. */
    ConfState applyConfChange(ConfChange change) {
        return Reconfiguration.apply(this, change);
    }

    /** Follower: installs {@code snap}; see {@link Reconfiguration#restore}. */
    boolean restore(Snapshot snap) {
        return Reconfiguration.restore(this, snap);
    }

    void refreshLearnerFlag() {
        Progress pr = tracker.progress(id);
        isLearner = pr != null && pr.isLearner();
    }

    /** The application has handled a Ready up to these positions. */
    void advance(long appliedIndex, Entry lastStable, long stableSnapshotIndex, List<Entry> committed) {
        reduceUncommittedSize(committed);
        if (appliedIndex > 0) {
            log.appliedTo(appliedIndex);
        }
        if (lastStable != null) {
            log.stableTo(lastStable.index(), lastStable.term());
            if (state == StateRole.LEADER) {
                persistedOwnEntries(lastStable);
            }
        }
        if (stableSnapshotIndex > 0) {
            log.stableSnapTo(stableSnapshotIndex);
        }
    }

    /**
     * Leader: our log up to {@code lastStable} is durable now, so our own copy joins the quorum
     * count; the commit may advance (and followers learn it at once, as on an append response).
     */
    private void persistedOwnEntries(Entry lastStable) {
        Progress self = tracker.progress(id);
        if (self == null || !log.matchTerm(lastStable.index(), lastStable.term())) {
            return; // removed meanwhile, or the persisted entries were replaced since
        }
        if (self.maybeUpdate(lastStable.index()) && maybeCommit()) {
            ReadIndexes.releasePending(this);
            Replicator.bcastCommit(this);
        }
    }

    /** Moves the election clock forward without campaigning (etcd's initial tick advance). */
    void advanceElectionTicks(int ticks) {
        if (ticks < 0) {
            throw new IllegalArgumentException("ticks must be >= 0");
        }
        electionElapsed += ticks;
    }
}
