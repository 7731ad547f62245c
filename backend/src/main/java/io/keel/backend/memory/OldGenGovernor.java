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
 * {@link #settleWhenIdle()} runs when the member is idle ({@link IdleNativeTrim}, before it trims
 * the native heap): it collects with the heap's free ratios tightened ({@link HeapFreeRatios}) when
 * the old generation holds over 1.1x the live data, or commits over 4 MiB more than the live data
 * and a tenth: the room to grow that a loaded member keeps (MaxHeapFreeRatio=40) goes back too.
 *
 * <p>{@link #tick()} waits while the member's apply thread is in the middle of one batch that has
 * already taken 100 ms or more (a transaction deleting a million keys takes seconds): what that
 * batch allocates stays reachable until it commits, so collecting then finds little to free and
 * stops the member for a time that grows with the heap (three full collections of 0.76–1.12 s in
 * each member during one delete of 1,000,000 keys, a follower's election timer expiring
 * meanwhile: docs/BENCHMARKS.md, pass 19). The first tick after the batch collects, or the 30th
 * deferred one in a row if long batches keep coming.
 *
 * <p>The idle collection is skipped once the live data is over {@code maxLiveBytes}: a serial
 * full collection stops the member for a time that grows with the live data (0.75–0.86 s for 178
 * MiB live, a 1,000,000-key store, on the benchmark machine: pass 14), and a leader stopped for
 * longer than the election timeout (1 s by default) loses its leadership. An idle member has
 * nothing to gain from it but memory. The collections under load stay: without them JDK 25's
 * serial collector would let the old generation grow toward the maximum heap and then stop the
 * member longer, for a larger heap.
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
    /** System property: MiB of live data above which the idle collection is skipped. */
    public static final String MAX_LIVE_PROPERTY = "keel.oldGenMaxLiveMiB";
    /** About 0.3 s of full collection at the 3-5 ms per live MiB the benchmark machine takes (pass 14). */
    static final long DEFAULT_MAX_LIVE_MIB = 64;
    /** When idle: collect if the old generation holds more than this times the live data. */
    static final double IDLE_GROWTH = 1.1;
    /** When idle: the free share of the old generation a collection leaves, in percent. */
    static final int IDLE_MAX_FREE_PERCENT = 10;
    /** When idle: collect if that would give back more than this. */
    static final long IDLE_MIN_GAIN_BYTES = 4L << 20;
    /** The serial collector's old generation, as java.lang.management names it. */
    static final String SERIAL_OLD_POOL = "Tenured Gen";
    private static final long TICK_MILLIS = 1000;
    /**
     * An apply batch running this long defers the collection {@link #tick()} would ask for: etcd's
     * "apply request took too long" threshold, which normal batches stay well under.
     */
    static final long LONG_APPLY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Ticks in a row a collection may wait for long batches before it runs all the same. */
    static final int MAX_DEFERRALS_IN_A_ROW = 30;

    private final LongSupplier used;
    private final LongSupplier committed;
    private final LongSupplier usedAfterLastCollection;
    private final Runnable collect;
    private final Runnable collectTight;
    private final double growth;
    private final long floorBytes;
    private final long maxLiveBytes;
    private final LongSupplier applyBusyNanos;
    private long collections;
    private long deferrals;
    private int deferredInARow;
    private long firstSeen = -1;

    /**
     * @param collectTight a full collection that leaves at most {@link #IDLE_MAX_FREE_PERCENT} of
     *                     the old generation free
     * @param maxLiveBytes the live data above which {@link #settleWhenIdle()} does not collect
     * @param applyBusyNanos how long the apply thread has been in its current batch, 0 when idle
     */
    OldGenGovernor(LongSupplier used, LongSupplier committed, LongSupplier usedAfterLastCollection,
            Runnable collect, Runnable collectTight, double growth, long floorBytes, long maxLiveBytes,
            LongSupplier applyBusyNanos) {
        if (!(growth >= 1.0) || floorBytes < 0 || maxLiveBytes <= 0) {
            throw new IllegalArgumentException("growth must be >= 1, the floor >= 0 and the live ceiling > 0: "
                    + growth + ", " + floorBytes + ", " + maxLiveBytes);
        }
        this.used = used;
        this.committed = committed;
        this.usedAfterLastCollection = usedAfterLastCollection;
        this.collect = collect;
        this.collectTight = collectTight;
        this.growth = growth;
        this.floorBytes = floorBytes;
        this.maxLiveBytes = maxLiveBytes;
        this.applyBusyNanos = applyBusyNanos;
    }

    /**
     * The governor of this JVM's serial old generation, ticking every second on {@code timers};
     * empty when the JVM runs another collector (G1 and Parallel size their old generations
     * themselves) or the growth property is 0.
     *
     * @param applyBusyNanos how long the member's apply thread has been in its current batch
     */
    public static Optional<OldGenGovernor> start(ScheduledExecutorService timers, LongSupplier applyBusyNanos) {
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
        long floorBytes = mebibytes(FLOOR_PROPERTY, DEFAULT_FLOOR_MIB, 0);
        long maxLiveBytes = mebibytes(MAX_LIVE_PROPERTY, DEFAULT_MAX_LIVE_MIB, 1);
        Optional<MemoryPoolMXBean> pool = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> SERIAL_OLD_POOL.equals(p.getName()) && p.isCollectionUsageThresholdSupported())
                .findFirst();
        if (pool.isEmpty()) {
            LOG.debug("no serial old generation in this JVM; its size is left to the collector");
            return Optional.empty();
        }
        MemoryPoolMXBean old = pool.get();
        HeapFreeRatios ratios = HeapFreeRatios.platform();
        OldGenGovernor g = new OldGenGovernor(() -> old.getUsage().getUsed(), () -> old.getUsage().getCommitted(),
                () -> afterCollection(old), System::gc,
                () -> ratios.collectWithAtMost(IDLE_MAX_FREE_PERCENT, System::gc), growth, floorBytes, maxLiveBytes,
                applyBusyNanos);
        timers.scheduleWithFixedDelay(g::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return Optional.of(g);
    }

    private static long mebibytes(String property, long defaultMiB, long leastMiB) {
        long mib = LongProperty.read(property, defaultMiB);
        if (mib < leastMiB || mib > Long.MAX_VALUE >> 20) {
            throw new IllegalArgumentException(property + " must be a number of MiB >= " + leastMiB + ": " + mib);
        }
        return mib << 20;
    }

    private static long afterCollection(MemoryPoolMXBean pool) {
        MemoryUsage u = pool.getCollectionUsage();
        return u == null ? 0 : u.getUsed();
    }

    /**
     * One tick: collects if the old generation outgrew the live data, unless a long apply batch is
     * under way; true if it asked for a collection.
     */
    boolean tick() {
        long now = used.getAsLong();
        long live = live(now);
        if (now <= Math.max(floorBytes, (long) (growth * live))) {
            return false;
        }
        long busy = applyBusyNanos.getAsLong();
        if (busy >= LONG_APPLY_NANOS && deferredInARow < MAX_DEFERRALS_IN_A_ROW) {
            deferrals++;
            deferredInARow++;
            LOG.debug("old generation at {} KiB against {} KiB live: collection deferred until the apply batch"
                    + " under way for {} ms ends", now >> 10, live >> 10, busy / 1_000_000);
            return false;
        }
        deferredInARow = 0;
        run(collect, now, live);
        return true;
    }

    /**
     * Collects, leaving little free, if the old generation holds over 10 % more than after the last
     * full collection (and the floor), or if such a collection would give back over 4 MiB of
     * committed memory; true if it collected. Never with over {@code maxLiveBytes} live.
     */
    public boolean settleWhenIdle() {
        long now = used.getAsLong();
        long live = live(now);
        if (live > maxLiveBytes) {
            return false;
        }
        boolean garbage = now > Math.max(floorBytes, (long) (IDLE_GROWTH * live));
        long settled = (long) (Math.max(now, live) * 100.0 / (100 - IDLE_MAX_FREE_PERCENT));
        boolean room = committed.getAsLong() - settled > IDLE_MIN_GAIN_BYTES;
        if (!garbage && !room) {
            return false;
        }
        run(collectTight, now, live);
        return true;
    }

    private long live(long now) {
        long live = usedAfterLastCollection.getAsLong();
        if (live != 0) {
            return live;
        }
        // No full collection yet: what the old generation held at the first look stands in for the
        // live data (a member restarted on a large store holds its rebuilt key index).
        if (firstSeen < 0) {
            firstSeen = now;
        }
        return firstSeen;
    }

    private void run(Runnable collection, long now, long live) {
        long committedBefore = committed.getAsLong();
        long before = System.nanoTime();
        collection.run();
        collections++;
        LOG.debug("old generation at {} KiB against {} KiB live after the last full collection: collected in {} ms,"
                + " committed {} -> {} KiB", now >> 10, live >> 10, (System.nanoTime() - before) / 1_000_000,
                committedBefore >> 10, committed.getAsLong() >> 10);
    }

    /** Collections asked for so far. */
    long collections() {
        return collections;
    }

    /** Ticks that would have collected but for a long apply batch. */
    long deferrals() {
        return deferrals;
    }
}
