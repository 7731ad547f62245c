package io.keel.server.wait;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique ids for proposed requests, as etcd's idutil: the member id's low 16 bits in the top bits
 * (so members never collide), then a counter seeded from the start time in milliseconds (so a
 * restarted member does not reuse ids it handed out before). Thread-safe.
 */
public final class RequestIdGenerator {
    private static final int SUFFIX_BITS = 48;
    private static final long SUFFIX_MASK = (1L << SUFFIX_BITS) - 1;

    private final long prefix;
    private final AtomicLong suffix;

    /** @param startMillis wall-clock milliseconds at start (injected for tests) */
    public RequestIdGenerator(long memberId, long startMillis) {
        this.prefix = (memberId & 0xFFFF) << SUFFIX_BITS;
        // Shift left so that ids handed out within the same millisecond after a restart still
        // start above the previous run's (etcd leaves 8 bits for the counter).
        this.suffix = new AtomicLong((startMillis << 8) & SUFFIX_MASK);
    }

    public long next() {
        return prefix | (suffix.incrementAndGet() & SUFFIX_MASK);
    }
}
