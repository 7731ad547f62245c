package io.keel.tracing.steps;

import java.util.ArrayList;
import java.util.List;

/**
 * The most recent slow requests, oldest dropped first, for the admin console.
 *
 * <p>Owner: a {@link StepTracer}; the console reads it through {@link #snapshot()}. Thread-safety:
 * thread-safe. Writers are slow requests only, so a lock costs nothing on the fast path.
 */
public final class SlowRequestBuffer {
    private final SlowRequest[] ring;
    private long added;

    public SlowRequestBuffer(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("slow request buffer capacity must be positive: " + capacity);
        }
        this.ring = new SlowRequest[capacity];
    }

    public int capacity() {
        return ring.length;
    }

    /** Keeps {@code request}, evicting the oldest when full. */
    public synchronized void add(SlowRequest request) {
        ring[(int) (added % ring.length)] = request;
        added++;
    }

    /** Slow requests seen since start, including evicted ones. */
    public synchronized long totalAdded() {
        return added;
    }

    /** An immutable copy, oldest first. */
    public synchronized List<SlowRequest> snapshot() {
        int size = (int) Math.min(added, ring.length);
        List<SlowRequest> copy = new ArrayList<>(size);
        for (long i = added - size; i < added; i++) {
            copy.add(ring[(int) (i % ring.length)]);
        }
        return List.copyOf(copy);
    }
}
