package io.keel.raft.sim;

import io.keel.raft.Message;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A seeded, lossy network between simulated members. Each message gets its own random delay, so
 * messages reorder; some are dropped or duplicated; a partition splits members into groups that
 * cannot talk (checked when sent and again when delivered). Owned by one {@link Simulation}; not
 * thread-safe.
 */
final class SimNetwork {
    /** What happened to a message handed to {@link #send}. */
    enum Outcome { QUEUED, DUPLICATED, LOST, PARTITIONED }

    /** A message on the wire, due at {@code deliverAtUnits}; {@code seq} keeps ties in send order. */
    record InFlight(long deliverAtUnits, long seq, Message message) {
    }

    private final SplittableRandom random;
    private final PriorityQueue<InFlight> wire = new PriorityQueue<>(
            Comparator.comparingLong(InFlight::deliverAtUnits).thenComparingLong(InFlight::seq));
    private final Map<Long, Integer> groupOf = new HashMap<>();
    /** Directed links that are down: a one-way cut lets replies through but not requests, or vice versa. */
    private final java.util.Set<Long> cutLinks = new java.util.HashSet<>();
    private long nextSeq;
    private double lossRate;
    private double duplicateRate;
    private long maxDelayUnits = SimClock.UNITS_PER_TICK;
    private double slowRate;

    SimNetwork(SplittableRandom random) {
        this.random = random;
    }

    /** Sets the fault rates; the rates are probabilities per message. */
    void setFaults(double lossRate, double duplicateRate, double slowRate, long maxDelayUnits) {
        if (lossRate < 0 || lossRate >= 1 || duplicateRate < 0 || duplicateRate >= 1 || maxDelayUnits < 1) {
            throw new IllegalArgumentException("bad network fault settings");
        }
        this.lossRate = lossRate;
        this.duplicateRate = duplicateRate;
        this.slowRate = slowRate;
        this.maxDelayUnits = maxDelayUnits;
    }

    Outcome send(Message m, long nowUnits) {
        if (!connected(m.from(), m.to())) {
            return Outcome.PARTITIONED;
        }
        if (random.nextDouble() < lossRate) {
            return Outcome.LOST;
        }
        enqueue(m, nowUnits);
        if (random.nextDouble() < duplicateRate) {
            enqueue(m, nowUnits);
            return Outcome.DUPLICATED;
        }
        return Outcome.QUEUED;
    }

    /** The next message due, or null; it stays on the wire until {@link #poll()}. */
    InFlight peek() {
        return wire.peek();
    }

    InFlight poll() {
        return wire.poll();
    }

    int inFlight() {
        return wire.size();
    }

    /** Puts each member in {@code groups} into its group; members not listed form group 0. */
    void partition(Map<Long, Integer> groups) {
        groupOf.clear();
        groupOf.putAll(groups);
    }

    /** Cuts the link from {@code from} to {@code to} only. */
    void cutOneWay(long from, long to) {
        cutLinks.add(link(from, to));
    }

    void heal() {
        groupOf.clear();
        cutLinks.clear();
    }

    boolean partitioned() {
        return !groupOf.isEmpty() || !cutLinks.isEmpty();
    }

    boolean connected(long from, long to) {
        return groupOf.getOrDefault(from, 0).equals(groupOf.getOrDefault(to, 0)) && !cutLinks.contains(link(from, to));
    }

    private static long link(long from, long to) {
        return from * 1_000_003L + to;
    }

    private void enqueue(Message m, long nowUnits) {
        long delay = 1 + random.nextLong(maxDelayUnits);
        if (random.nextDouble() < slowRate) {
            // A straggler: arrives long after its peers, as a stale message from an old term would.
            delay += random.nextLong(SimClock.ticks(20));
        }
        wire.add(new InFlight(nowUnits + delay, nextSeq++, m));
    }
}
