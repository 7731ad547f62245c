package io.keel.bench.report;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects one latency per completed operation, and the errors by message. Every sample is kept
 * (a run has a known, bounded number of operations) so percentiles are exact, not bucketed.
 * Thread-safe: {@link #record} and {@link #error} may be called from any thread.
 */
public final class LatencyRecorder {
    private final long[] nanos;
    private final AtomicInteger recorded = new AtomicInteger();
    private final AtomicLong errors = new AtomicLong();
    private final ConcurrentHashMap<String, AtomicLong> errorsByMessage = new ConcurrentHashMap<>();

    public LatencyRecorder(int capacity) {
        this.nanos = new long[capacity];
    }

    /** Records a successful operation; samples beyond the capacity are counted but not kept. */
    public void record(long latencyNanos) {
        int i = recorded.getAndIncrement();
        if (i < nanos.length) {
            nanos[i] = latencyNanos;
        }
    }

    public void error(Throwable t) {
        errors.incrementAndGet();
        String msg = String.valueOf(t.getMessage());
        // Bounded: a flood of distinct messages keeps only the first hundred kinds.
        if (errorsByMessage.size() < 100 || errorsByMessage.containsKey(msg)) {
            errorsByMessage.computeIfAbsent(msg, k -> new AtomicLong()).incrementAndGet();
        }
    }

    public long completed() {
        return recorded.get() + errors.get();
    }

    /** The samples so far, sorted; call once the run is over. */
    public long[] sortedSamples() {
        long[] out = Arrays.copyOf(nanos, Math.min(recorded.get(), nanos.length));
        Arrays.sort(out);
        return out;
    }

    public long errors() {
        return errors.get();
    }

    public Map<String, Long> errorsByMessage() {
        Map<String, Long> out = new TreeMap<>();
        errorsByMessage.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
