package io.keel.backend.memory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the serial collector's old generation near the live data, as Go's collector keeps an etcd's
 * heap within twice its live data (GOGC=100).
 *
 * <p>JDK 17's serial collector collects the old generation at the first young collection after it
 * had to grow it: the old generation of a member loading 100,000 keys stayed at ~1.2x the live data,
 * with 8–10 full collections. JDK 25's grows it instead, for as long as the maximum heap allows
 * (a quarter of the machine's memory unless {@code -Xmx} says otherwise): under a steady write load
 * each young collection promotes some garbage (index arrays of overwritten keys, Raft entries held
 * until applied), and a member's RSS grew by ~55 MiB per 100,000 puts with no full collection at
 * all (docs/BENCHMARKS.md, pass 12).
 *
 * <p>Each {@link #tick()} (every second on the member's timer thread) asks for a full collection
 * ({@link System#gc()}: the serial collector stops every thread for it, as for its own full
 * collections) when the old generation holds more than {@code growth} times what it held after the
 * last full collection (before any: than at its first look), and more than {@code floorBytes}.
 * With {@code -XX:-ShrinkHeapInSteps} (bin/keel's member flags) the collection also gives the old
 * generation's free memory above {@code MaxHeapFreeRatio} back at once.
 * {@link #collectIfAboveLive()} does the same with a factor of 1.1 when the member is idle
 * ({@link IdleNativeTrim}, before it trims the native heap).
 *
 * <p>Owner: the member. Thread-safety: called from one thread at a time (the timer thread).
 */
public final class OldGenGovernor {
    private static final Logger LOG = LoggerFactory.getLogger(OldGenGovernor.class);

    /** System property: the growth factor over the live data that starts a collection; 0 turns it off. */
    public static final String GROWTH_PROPERTY = "keel.oldGenGrowth";
    /** System property: MiB the old generation may hold before any collection is asked for. */
    public static final String FLOOR_PROPERTY = "keel.oldGenFloorMiB";
    static final double DEFAULT_GROWTH = 1.5;
    static final long DEFAULT_FLOOR_MIB = 32;
    /** When idle: collect if the old generation holds more than this times the live data. */
    static final double IDLE_GROWTH = 1.1;
    /** The serial collector's old generation, as java.lang.management names it. */
    static final String SERIAL_OLD_POOL = "Tenured Gen";
    private static final long TICK_MILLIS = 1000;

    private final LongSupplier used;
    private final LongSupplier usedAfterLastCollection;
    private final Runnable collect;
    private final double growth;
    private final long floorBytes;
    private long collections;
    private long firstSeen = -1;

    OldGenGovernor(LongSupplier used, LongSupplier usedAfterLastCollection, Runnable collect, double growth,
            long floorBytes) {
        if (!(growth >= 1.0) || floorBytes < 0) {
            throw new IllegalArgumentException("growth must be >= 1 and the floor >= 0: " + growth + ", " + floorBytes);
        }
        this.used = used;
        this.usedAfterLastCollection = usedAfterLastCollection;
        this.collect = collect;
        this.growth = growth;
        this.floorBytes = floorBytes;
    }

    /**
     * The governor of this JVM's serial old generation, ticking every second on {@code timers};
     * empty when the JVM runs another collector (G1 and Parallel size their old generations
     * themselves) or the growth property is 0.
     */
    public static Optional<OldGenGovernor> start(ScheduledExecutorService timers) {
        String growthText = System.getProperty(GROWTH_PROPERTY, Double.toString(DEFAULT_GROWTH));
        double growth;
        try {
            growth = Double.parseDouble(growthText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    GROWTH_PROPERTY + " must be a number (0 turns it off): " + growthText, e);
        }
        if (growth == 0) {
            return Optional.empty();
        }
        long floorBytes = Long.getLong(FLOOR_PROPERTY, DEFAULT_FLOOR_MIB) << 20;
        Optional<MemoryPoolMXBean> pool = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> SERIAL_OLD_POOL.equals(p.getName()) && p.isCollectionUsageThresholdSupported())
                .findFirst();
        if (pool.isEmpty()) {
            LOG.debug("no serial old generation in this JVM; its size is left to the collector");
            return Optional.empty();
        }
        MemoryPoolMXBean old = pool.get();
        OldGenGovernor g = new OldGenGovernor(() -> old.getUsage().getUsed(), () -> afterCollection(old),
                System::gc, growth, floorBytes);
        timers.scheduleWithFixedDelay(g::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return Optional.of(g);
    }

    private static long afterCollection(MemoryPoolMXBean pool) {
        MemoryUsage u = pool.getCollectionUsage();
        return u == null ? 0 : u.getUsed();
    }

    /** One tick: collects if the old generation outgrew the live data; true if it asked for a collection. */
    boolean tick() {
        return collectAbove(growth);
    }

    /** Collects if the old generation holds over 10 % more than after the last full collection (and the floor). */
    public boolean collectIfAboveLive() {
        return collectAbove(IDLE_GROWTH);
    }

    private boolean collectAbove(double factor) {
        long now = used.getAsLong();
        long live = usedAfterLastCollection.getAsLong();
        if (live == 0) {
            // No full collection yet: what the old generation held at the first look stands in for
            // the live data (a member restarted on a large store holds its rebuilt key index).
            if (firstSeen < 0) {
                firstSeen = now;
            }
            live = firstSeen;
        }
        long limit = Math.max(floorBytes, (long) (factor * live));
        if (now <= limit) {
            return false;
        }
        long before = System.nanoTime();
        collect.run();
        collections++;
        LOG.debug("old generation at {} KiB against {} KiB live after the last full collection: collected in {} ms",
                now >> 10, live >> 10, (System.nanoTime() - before) / 1_000_000);
        return true;
    }

    /** Collections asked for so far. */
    long collections() {
        return collections;
    }
}
