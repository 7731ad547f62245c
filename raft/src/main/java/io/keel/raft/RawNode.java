package io.keel.raft;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A Raft member as a pure state machine, in the style of etcd's raft.RawNode: no I/O, no threads,
 * no clock; time advances only through {@link #tick()}, randomness comes from the injected source.
 *
 * <p>Not thread-safe: exactly one thread (the application's Raft thread) owns an instance.
 * See {@link Ready} for the persist / send / apply / advance contract.
 *
 * <p>API skeleton: the implementation lands with the Raft core work.
 */
public final class RawNode {

    /**
     * Restarts (or starts fresh on) {@code storage}. The configuration comes from
     * {@link RaftStorage#initialState()}; a brand-new cluster calls {@link #bootstrap} first.
     */
    public RawNode(RaftConfig config, RaftStorage storage, RandomGenerator random) {
        throw new UnsupportedOperationException("RawNode is not implemented yet");
    }

    /**
     * For a new cluster on empty storage: appends one ADD_NODE conf-change entry per voter at term 1
     * (as etcd's Bootstrap), committed, so every member starts with the same log. The entries come
     * out of the next {@link #ready()} for persisting and applying.
     */
    public void bootstrap(List<Long> voters) {
        throw new UnsupportedOperationException();
    }

    /** Advances logical time by one tick (election / heartbeat timers). */
    public void tick() {
        throw new UnsupportedOperationException();
    }

    /**
     * Makes the election timer expire sooner on start (etcd's --initial-election-tick-advance):
     * ticks the election clock forward by {@code ticks}, without campaigning.
     */
    public void advanceElectionTicks(int ticks) {
        throw new UnsupportedOperationException();
    }

    /** Starts an election now (pre-vote first when enabled). */
    public void campaign() {
        throw new UnsupportedOperationException();
    }

    /** Proposes data to be appended; throws {@link ProposalDroppedException} if not accepted. */
    public void propose(byte[] data) {
        throw new UnsupportedOperationException();
    }

    /** Proposes a membership change; throws {@link ProposalDroppedException} if not accepted. */
    public void proposeConfChange(ConfChange change) {
        throw new UnsupportedOperationException();
    }

    /** Applies a committed conf change to the Raft configuration; returns the new configuration. */
    public ConfState applyConfChange(ConfChange change) {
        throw new UnsupportedOperationException();
    }

    /** Feeds a message received from a peer. Local message types are rejected. */
    public void step(Message message) {
        throw new UnsupportedOperationException();
    }

    /** Requests a linearizable read point; answered by a {@link ReadState} in a later Ready. */
    public void readIndex(byte[] context) {
        throw new UnsupportedOperationException();
    }

    /** Asks the leader to hand leadership to {@code transferee}. */
    public void transferLeader(long transferee) {
        throw new UnsupportedOperationException();
    }

    /** Tells the leader the transport could not reach {@code id}. */
    public void reportUnreachable(long id) {
        throw new UnsupportedOperationException();
    }

    /** Tells the leader how sending a snapshot to {@code id} ended. */
    public void reportSnapshot(long id, SnapshotStatus status) {
        throw new UnsupportedOperationException();
    }

    /** Whether {@link #ready()} has anything to hand out. */
    public boolean hasReady() {
        throw new UnsupportedOperationException();
    }

    /** The pending work; call {@link #advance(Ready)} with it once done. */
    public Ready ready() {
        throw new UnsupportedOperationException();
    }

    /** Acknowledges that {@code ready} was persisted, sent and applied. */
    public void advance(Ready ready) {
        throw new UnsupportedOperationException();
    }

    /** A snapshot of this member's state for diagnostics and the server (leader, term, progress). */
    public RaftStatus status() {
        throw new UnsupportedOperationException();
    }
}
