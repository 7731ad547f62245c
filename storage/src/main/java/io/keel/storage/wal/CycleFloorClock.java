package io.keel.storage.wal;

import net.openhft.chronicle.core.time.TimeProvider;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The clock a WAL queue runs on: the configured clock, but never earlier than the start of the
 * newest cycle already in the queue and never earlier than any time it returned before.
 *
 * <p>Why: Chronicle files records by the cycle of the current time and reads them back in cycle
 * order, and it will append into an earlier cycle when the clock says so (a new file sorted before
 * newer ones, or a {@code WriteAfterEOFException} on a finished one). A wall clock that steps back
 * across a cycle boundary (NTP, a restored VM, an operator), before a restart or while running,
 * would then put new records before older ones: replay sees a log out of order, and a tailer
 * stops at the earlier file, hiding the newer ones. Holding the time at the newest cycle keeps
 * queue order equal to write order; the log simply stays in that cycle file until real time
 * passes it.
 *
 * <p>Owned by one queue; thread-safe (Chronicle may ask from any thread).
 */
final class CycleFloorClock implements TimeProvider {
    private final TimeProvider delegate;
    private final AtomicLong floor = new AtomicLong(Long.MIN_VALUE);

    CycleFloorClock(TimeProvider delegate) {
        this.delegate = delegate;
    }

    /** Raises the floor to {@code millis} (the start of the queue's newest cycle). */
    void raiseTo(long millis) {
        floor.accumulateAndGet(millis, Math::max);
    }

    @Override
    public long currentTimeMillis() {
        return floor.accumulateAndGet(delegate.currentTimeMillis(), Math::max);
    }
}
