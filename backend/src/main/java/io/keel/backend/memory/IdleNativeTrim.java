package io.keel.backend.memory;

import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the native memory glibc keeps after a burst of work back to the kernel once the member
 * has been idle for a while, as Go's scavenger returns an idle etcd's heap. Under load the JIT
 * compilers, class loading and Netty free native memory that glibc keeps in its arenas: 40–80 MiB
 * per member after 100,000 puts, counted in RSS for the life of the process. A periodic trim gives
 * it back but costs latency under load (the next allocations fault the pages back in; pass 7 in
 * docs/BENCHMARKS.md), so this trims only after {@code quietTicks} ticks in which the member's
 * activity counter (applied entries and gRPC messages in and out) did not move, and once per idle
 * spell: not again until there was work again.
 *
 * <p>Owner: the member, ticking it on its timer thread. Thread-safety: {@link #tick()} is called
 * from one thread at a time; the counters it reads are thread-safe.
 */
public final class IdleNativeTrim {
    private static final Logger LOG = LoggerFactory.getLogger(IdleNativeTrim.class);

    /** System property: seconds without activity before a trim; 0 turns trimming off. */
    public static final String QUIET_SECONDS_PROPERTY = "keel.idleTrimSeconds";
    static final long DEFAULT_QUIET_SECONDS = 5;
    private static final long TICK_MILLIS = 1000;

    private final LongSupplier activity;
    private final int quietTicks;
    private final Runnable trim;
    private long lastActivity;
    private int quiet;
    /** Whether there was work since the last trim (a start is work: it loads every class). */
    private boolean worked = true;
    private boolean failed;
    private long trims;

    IdleNativeTrim(LongSupplier activity, int quietTicks, Runnable trim) {
        if (quietTicks < 1) {
            throw new IllegalArgumentException("quietTicks must be positive: " + quietTicks);
        }
        this.activity = activity;
        this.quietTicks = quietTicks;
        this.trim = trim;
        this.lastActivity = activity.getAsLong();
    }

    /**
     * Ticks every second on {@code timers} if the quiet period (system property
     * {@value #QUIET_SECONDS_PROPERTY}, default 5 s) is positive and the C library can trim;
     * {@code beforeTrim} runs first at each trim (the member's {@link OldGenGovernor} shrinks the
     * Java heap there, which frees native memory of its own).
     */
    public static void start(ScheduledExecutorService timers, LongSupplier activity, Runnable beforeTrim) {
        long quietSeconds = LongProperty.read(QUIET_SECONDS_PROPERTY, DEFAULT_QUIET_SECONDS);
        if (quietSeconds <= 0) {
            return;
        }
        Optional<MallocTrim> malloc = MallocTrim.load();
        if (malloc.isEmpty()) {
            LOG.debug("no malloc_trim in this C library; native memory is not trimmed when idle");
            return;
        }
        // One tick a second, so the quiet period in ticks is its length in seconds.
        MallocTrim trim = malloc.get();
        IdleNativeTrim t = new IdleNativeTrim(activity, (int) Math.min(Integer.MAX_VALUE, quietSeconds), () -> {
            beforeTrim.run();
            trim.run();
        });
        timers.scheduleWithFixedDelay(t::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** One tick: trims if the member has been quiet for the quiet period since it last worked; true if it trimmed. */
    boolean tick() {
        long now = activity.getAsLong();
        if (now != lastActivity) {
            lastActivity = now;
            quiet = 0;
            worked = true;
            return false;
        }
        if (failed || !worked || ++quiet < quietTicks) {
            return false;
        }
        worked = false;
        long before = System.nanoTime();
        try {
            trim.run();
        } catch (LinkageError | RuntimeException e) {
            failed = true; // a binding that cannot call is not tried again
            LOG.warn("trimming the native heap failed ({}); not trying again", e.toString());
            return false;
        }
        trims++;
        LOG.debug("trimmed the native heap after {} idle ticks in {} µs", quietTicks, (System.nanoTime() - before) / 1000);
        return true;
    }

    /** Trims done so far. */
    long trims() {
        return trims;
    }
}
