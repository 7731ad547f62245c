package io.keel.backend.memory;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OldGenGovernorTest {
    private static final long MIB = 1 << 20;

    private final AtomicLong used = new AtomicLong();
    private final AtomicLong live = new AtomicLong();

    /** A collection as the serial collector makes one: the old generation holds the live data after it. */
    private OldGenGovernor governor(double growth, long floorMiB) {
        return new OldGenGovernor(used::get, live::get, () -> used.set(live.get()), growth, floorMiB * MIB);
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
    void whenIdleCollectsWhatIsAboveTheLiveDataByMoreThanATenth() {
        OldGenGovernor g = governor(1.5, 32);
        live.set(40 * MIB);
        used.set(44 * MIB);
        assertThat(g.collectIfAboveLive()).as("44 MiB against 40 live: not worth a full collection").isFalse();
        used.set(45 * MIB);
        assertThat(g.collectIfAboveLive()).isTrue();
        assertThat(used.get()).isEqualTo(40 * MIB);
    }

    @Test
    void refusesAGrowthBelowOne() {
        assertThatThrownBy(() -> governor(0.9, 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> governor(Double.NaN, 32)).isInstanceOf(IllegalArgumentException.class);
    }
}
