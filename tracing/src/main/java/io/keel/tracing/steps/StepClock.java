package io.keel.tracing.steps;

/**
 * The time source of step traces: a monotonic nanosecond counter for durations and a wall clock
 * for the {@code start}/{@code end} timestamps of a logged trace. Tests inject a manual one.
 *
 * <p>Owner: whoever builds a {@link StepTracer}. Thread-safety: implementations must be
 * thread-safe ({@link #system()} is).
 */
public interface StepClock {
    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Wall-clock milliseconds since the epoch, as {@link System#currentTimeMillis()}. */
    long epochMillis();

    /** The JVM's clocks. */
    static StepClock system() {
        return SystemClock.INSTANCE;
    }

    /** The JVM's clocks as an enum singleton. */
    enum SystemClock implements StepClock {
        INSTANCE;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long epochMillis() {
            return System.currentTimeMillis();
        }
    }
}
