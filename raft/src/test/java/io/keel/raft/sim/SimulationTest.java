package io.keel.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Runs the deterministic Raft simulation over many seeds. {@code -Dsim.seeds=N} sets how many
 * (default 2,000), {@code -Dsim.seed=S} replays exactly one ({@code -Dsim.verbose=true} prints its
 * whole event trace),
 * {@code -Dsim.chaosTicks=T} sets the length of the fault phase, {@code -Dsim.threads=K} how many
 * seeds run at once (default 2: the build machine has two cores shared with other work).
 */
class SimulationTest {
    private static final int DEFAULT_SEEDS = 2_000;

    @Test
    void everySeedKeepsRaftSafeAndElectsALeaderThatCommitsAfterFaultsHeal() throws Exception {
        long chaosTicks = Long.getLong("sim.chaosTicks", Simulation.DEFAULT_CHAOS_TICKS);
        String single = System.getProperty("sim.seed");
        if (single != null && !single.isBlank()) {
            Simulation.Result r = new Simulation(Long.parseLong(single.trim()), chaosTicks,
                    Boolean.getBoolean("sim.verbose")).run();
            System.out.println("seed " + r.seed() + " passed: trace hash " + Long.toHexString(r.traceHash())
                    + ", " + r.events() + " events, " + r.counters());
            return;
        }
        int seeds = Integer.getInteger("sim.seeds", DEFAULT_SEEDS);
        long firstSeed = Long.getLong("sim.firstSeed", 1);
        int threads = Integer.getInteger("sim.threads", Math.min(2, Runtime.getRuntime().availableProcessors()));
        Counters total = new Counters();
        List<SimulationFailure> failures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Simulation.Result>> runs = new ArrayList<>();
            for (long s = firstSeed; s < firstSeed + seeds; s++) {
                long seed = s;
                runs.add(pool.submit(() -> new Simulation(seed, chaosTicks, false).run()));
            }
            for (Future<Simulation.Result> run : runs) {
                try {
                    total.add(run.get().counters());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof SimulationFailure f)) {
                        throw e;
                    }
                    failures.add(f);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("simulated " + seeds + " seeds from " + firstSeed + ": " + total);
        if (!failures.isEmpty()) {
            StringBuilder seedsAndRules = new StringBuilder();
            failures.forEach(f -> seedsAndRules.append("\n  seed ").append(f.seed()).append(": ").append(f.invariant()));
            throw new AssertionError(failures.size() + " of " + seeds + " seeds failed:" + seedsAndRules
                    + "\n\nFirst failure:\n" + failures.get(0).getMessage(), failures.get(0));
        }
        assertThat(total.termsWithLeader).as("leaders were elected").isPositive();
        assertThat(total.crashes).as("members crashed").isPositive();
        assertThat(total.readsChecked).as("ReadIndex reads were checked").isPositive();
        assertThat(total.confChangesApplied).as("membership changed").isPositive();
        assertThat(total.snapshotsDelivered).as("followers caught up by snapshot").isPositive();
    }

    @Test
    void simulationCatchesADiskThatLosesAcknowledgedEntries() {
        assertThat(firstSeedCaught(PlantedBug.DISK_LOSES_ACKNOWLEDGED_TAIL, Set.of(Invariants.LEADER_COMPLETENESS,
                Invariants.STATE_MACHINE_SAFETY, Invariants.LOG_MATCHING, Invariants.INDEX_ORDER,
                Invariants.LINEARIZABLE_READ))).as("a safety violation caused by the lossy disk").isPositive();
    }

    @Test
    void simulationCatchesReadsServedWithoutReadIndex() {
        assertThat(firstSeedCaught(PlantedBug.READ_WITHOUT_READ_INDEX, Set.of(Invariants.LINEARIZABLE_READ)))
                .as("a stale read served by a lagging member").isPositive();
    }

    /** The first of 200 seeds in which the planted bug breaks one of {@code expected}, or -1. */
    private static long firstSeedCaught(PlantedBug bug, Set<String> expected) {
        for (long seed = 1; seed <= 200; seed++) {
            try {
                new Simulation(seed, Simulation.DEFAULT_CHAOS_TICKS, false, bug).run();
            } catch (SimulationFailure f) {
                if (expected.contains(f.invariant())) {
                    System.out.println(bug + " caught at seed " + seed + ": " + f.invariant());
                    return seed;
                }
            }
        }
        return -1;
    }

    @Test
    void sameSeedReplaysTheSameEventTrace() {
        long seed = Long.getLong("sim.determinismSeed", 7);
        Simulation.Result first = new Simulation(seed, Simulation.DEFAULT_CHAOS_TICKS, false).run();
        Simulation.Result second = new Simulation(seed, Simulation.DEFAULT_CHAOS_TICKS, false).run();
        assertThat(first.events()).isGreaterThan(100);
        assertThat(second.events()).isEqualTo(first.events());
        assertThat(second.traceHash()).isEqualTo(first.traceHash());
    }
}
