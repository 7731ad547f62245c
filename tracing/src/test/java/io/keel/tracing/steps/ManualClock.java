package io.keel.tracing.steps;

import java.time.Duration;

/** Test helper: a clock that moves only when the test advances it. Single-threaded use. */
final class ManualClock implements StepClock {
    private long nanos = 1_000_000_000L;
    private long epochMillis;

    ManualClock(long epochMillis) {
        this.epochMillis = epochMillis;
    }

    void advance(Duration d) {
        nanos += d.toNanos();
        epochMillis += d.toMillis();
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long epochMillis() {
        return epochMillis;
    }
}
