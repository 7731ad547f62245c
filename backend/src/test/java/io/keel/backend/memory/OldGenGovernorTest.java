package io.keel.backend.memory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OldGenGovernorTest {
    private static final long MIB = 1 << 20;

    private final AtomicLong used = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong live = new AtomicLong();
    private final AtomicLong tightCollections = new AtomicLong();
    private final AtomicLong applyBusy = new AtomicLong();

    /**
     * Collections as the serial collector makes them: the old generation holds the live data after
     * one; the tight one also leaves only a tenth of what it commits free.
     */
    private OldGenGovernor governor(double growth, long floorMiB) {
        return governor(growth, floorMiB, 1024);
    }

    private OldGenGovernor governor(double growth, long floorMiB, long maxLiveMiB) {
        return new OldGenGovernor(used::get, committed::get, live::get, () -> used.set(live.get()), () -> {
            tightCollections.incrementAndGet();
            used.set(live.get());
            committed.set(live.get() * 10 / 9);
        }, growth, floorMiB * MIB, maxLiveMiB * MIB, applyBusy::get);
    }

    @Test
    void collectsWhenTheOldGenerationOutgrowsTheLiveData() {
        OldGenGovernor g = governor(1.5, 32);
        live.set(40 * MIB);
        used.set(40 * MIB);
        for (long mib = 41; mib <= 60; mib++) {
            used.set(mib * MIB);
            assertThat(g.tick()).as("%d MiB against 40 live", mib).isFalse();
        }
        used.set(61 * MIB);
        assertThat(g.tick()).isTrue();
        assertThat(used.get()).isEqualTo(40 * MIB);
        assertThat(g.tick()).isFalse();
        assertThat(g.collections()).isEqualTo(1);
    }

    @Test
    void waitsForALongApplyBatchToEndThenCollects() {
        OldGenGovernor g = governor(1.5, 32);
        live.set(40 * MIB);
        used.set(61 * MIB);
        applyBusy.set(OldGenGovernor.LONG_APPLY_NANOS - 1); // a batch just under the threshold: no reason to wait
        assertThat(g.tick()).isTrue();

        used.set(61 * MIB);
        applyBusy.set(OldGenGovernor.LONG_APPLY_NANOS);
        assertThat(g.tick()).as("a batch 100 ms long").isFalse();
        used.set(90 * MIB);
        applyBusy.set(3 * OldGenGovernor.LONG_APPLY_NANOS);
        assertThat(g.tick()).as("the same batch, still under way").isFalse();
        assertThat(g.deferrals()).isEqualTo(2);
        assertThat(g.collections()).isEqualTo(1);

        applyBusy.set(0); // the batch committed; the apply thread waits for work
        assertThat(g.tick()).isTrue();
        assertThat(used.get()).isEqualTo(40 * MIB);
        assertThat(g.collections()).isEqualTo(2);
    }

    @Test
    void longBatchesOneAfterAnotherDeferACollectionOnlySoLong() {
        OldGenGovernor g = governor(1.5, 32);
        live.set(40 * MIB);
        used.set(61 * MIB);
        applyBusy.set(OldGenGovernor.LONG_APPLY_NANOS);
        for (int i = 0; i < OldGenGovernor.MAX_DEFERRALS_IN_A_ROW; i++) {
            assertThat(g.tick()).as("tick %d", i).isFalse();
        }
        assertThat(g.tick()).isTrue();
        used.set(61 * MIB);
        assertThat(g.tick()).as("the count starts again after a collection").isFalse();
        assertThat(g.deferrals()).isEqualTo(OldGenGovernor.MAX_DEFERRALS_IN_A_ROW + 1);
    }

    @Test
    void neverCollectsBelowTheFloor() {
        OldGenGovernor g = governor(1.5, 32);
        live.set(0); // no full collection yet
        for (long mib = 1; mib <= 32; mib++) {
            used.set(mib * MIB);
            assertThat(g.tick()).isFalse();
        }
        used.set(33 * MIB);
        assertThat(g.tick()).isTrue();
    }

    @Test
    void beforeAnyFullCollectionTheFirstLookStandsInForTheLiveData() {
        OldGenGovernor g = governor(1.5, 32);
        live.set(0);
        used.set(200 * MIB); // a member restarted on a large store: its rebuilt key index
        assertThat(g.tick()).as("not a collection right after the start").isFalse();
        used.set(300 * MIB);
        assertThat(g.tick()).isFalse();
        used.set(301 * MIB);
        assertThat(g.tick()).isTrue();
    }

    @Test
    void underLoadCollectionsKeepTheJvmsFreeRatios() {
        OldGenGovernor g = governor(1.5, 32);
        live.set(40 * MIB);
        used.set(61 * MIB);
        committed.set(100 * MIB);
        assertThat(g.tick()).isTrue();
        assertThat(tightCollections.get()).isZero();
        assertThat(committed.get()).as("room to grow kept").isEqualTo(100 * MIB);
    }

    @Test
    void whenIdleCollectsWhatIsAboveTheLiveDataByMoreThanATenth() {
        OldGenGovernor g = governor(1.5, 32);
        live.set(40 * MIB);
        used.set(44 * MIB);
        committed.set(48 * MIB); // 44 / 0.9 = 48.9: nothing to give back either
        assertThat(g.settleWhenIdle()).as("44 MiB against 40 live: not worth a full collection").isFalse();
        used.set(45 * MIB);
        assertThat(g.settleWhenIdle()).isTrue();
        assertThat(used.get()).isEqualTo(40 * MIB);
        assertThat(tightCollections.get()).isEqualTo(1);
    }

    @Test
    void whenIdleGivesBackTheRoomToGrowAMemberKeptUnderLoad() {
        OldGenGovernor g = governor(1.5, 32);
        live.set(30 * MIB);
        used.set(30 * MIB);
        committed.set(44 * MIB); // 32 % free, within MaxHeapFreeRatio=40: the collector keeps it
        assertThat(g.settleWhenIdle()).isTrue();
        assertThat(committed.get()).isLessThan(34 * MIB);
        assertThat(g.settleWhenIdle()).as("settled: the next idle spell has nothing to give back").isFalse();
        committed.set(37 * MIB); // 3.7 MiB above 30 / 0.9
        assertThat(g.settleWhenIdle()).as("under 4 MiB to gain").isFalse();
        assertThat(tightCollections.get()).isEqualTo(1);
    }

    @Test
    void whenIdleMakesNoCollectionOfMoreLiveDataThanTheCeiling() {
        OldGenGovernor g = governor(1.5, 32, 64);
        live.set(65 * MIB); // a full collection of this much would stop the member too long
        used.set(90 * MIB);
        committed.set(300 * MIB);
        assertThat(g.settleWhenIdle()).isFalse();
        live.set(64 * MIB);
        assertThat(g.settleWhenIdle()).isTrue();
        assertThat(tightCollections.get()).isEqualTo(1);
    }

    @Test
    void aMemberRestartedOnALargeStoreIsNotCollectedWhenIdleButStillUnderLoad() {
        OldGenGovernor g = governor(1.5, 32, 64);
        live.set(0);
        used.set(240 * MIB); // the first look: a 1,000,000-key index rebuilt, over the ceiling
        committed.set(262 * MIB);
        assertThat(g.tick()).isFalse();
        used.set(300 * MIB); // after writes, with no full collection yet
        committed.set(320 * MIB);
        assertThat(g.settleWhenIdle()).as("no 0.8 s pause at the first idle spell").isFalse();
        used.set(361 * MIB); // over 1.5x the first look: the old generation is not left to grow
        assertThat(g.tick()).isTrue();
        assertThat(tightCollections.get()).isZero();
        assertThat(g.collections()).isEqualTo(1);
    }

    @Test
    void refusesAGrowthBelowOne() {
        assertThatThrownBy(() -> governor(0.9, 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> governor(Double.NaN, 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesACeilingOfNothing() {
        assertThatThrownBy(() -> governor(1.5, 32, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPropertyThatIsNotANumberStopsTheStartNamingIt() {
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        try {
            for (String property : new String[] {OldGenGovernor.MAX_LIVE_PROPERTY, OldGenGovernor.FLOOR_PROPERTY}) {
                System.setProperty(property, "64m");
                try {
                    assertThatThrownBy(() -> OldGenGovernor.start(timers, () -> 0)).isInstanceOf(IllegalArgumentException.class)
                            .hasMessage(property + " must be a whole number: 64m");
                    System.setProperty(property, "-1");
                    assertThatThrownBy(() -> OldGenGovernor.start(timers, () -> 0)).isInstanceOf(IllegalArgumentException.class)
                            .hasMessageStartingWith(property + " must be a number of MiB >= ");
                } finally {
                    System.clearProperty(property);
                }
            }
        } finally {
            timers.shutdownNow();
        }
    }
}
