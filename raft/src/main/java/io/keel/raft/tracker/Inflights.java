package io.keel.raft.tracker;

/**
 * The window of APP messages sent to one follower and not yet acknowledged, recorded by the last
 * index each carried. A bounded ring buffer: at most {@code capacity} entries.
 *
 * <p>Owned by one {@link Progress}; not thread-safe.
 */
public final class Inflights {
    private final long[] buffer;
    private int start;
    private int count;

    public Inflights(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("inflight capacity must be > 0");
        }
        this.buffer = new long[capacity];
    }

    /** Records an APP whose last entry is {@code lastIndex}; indexes must be increasing. */
    public void add(long lastIndex) {
        if (full()) {
            throw new IllegalStateException("cannot add into a full inflights window");
        }
        assert count == 0 || buffer[(start + count - 1) % buffer.length] < lastIndex
                : "inflight indexes must increase";
        buffer[(start + count) % buffer.length] = lastIndex;
        count++;
    }

    /** Frees every APP whose last index is at or below {@code to} (they were acknowledged). */
    public void freeLE(long to) {
        while (count > 0 && buffer[start] <= to) {
            start = (start + 1) % buffer.length;
            count--;
        }
        if (count == 0) {
            start = 0;
        }
    }

    /** Frees the oldest APP, so a heartbeat response can unblock a full window. */
    public void freeFirstOne() {
        if (count > 0) {
            freeLE(buffer[start]);
        }
    }

    public boolean full() {
        return count == buffer.length;
    }

    public int count() {
        return count;
    }

    public int capacity() {
        return buffer.length;
    }

    public void reset() {
        start = 0;
        count = 0;
    }
}
