package io.keel.backend.memory;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against this JVM's own flags: tightened while the collection runs, as they were after it. */
class HeapFreeRatiosTest {
    private final HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    private String min;
    private String max;

    @BeforeEach
    void rememberTheJvmsRatios() {
        min = flag(HeapFreeRatios.MIN);
        max = flag(HeapFreeRatios.MAX);
    }

    private String flag(String name) {
        return vm.getVMOption(name).getValue();
    }

    private void assertRestored() {
        assertThat(flag(HeapFreeRatios.MIN)).isEqualTo(min);
        assertThat(flag(HeapFreeRatios.MAX)).isEqualTo(max);
    }

    @Test
    void tightensTheRatiosForTheCollectionAndRestoresThem() {
        String[] during = new String[2];
        HeapFreeRatios.platform().collectWithAtMost(10, () -> {
            during[0] = flag(HeapFreeRatios.MIN);
            during[1] = flag(HeapFreeRatios.MAX);
        });
        assertThat(during).containsExactly("0", "10");
        assertRestored();
    }

    @Test
    void restoresTheRatiosWhenTheCollectionFails() {
        assertThatThrownBy(() -> HeapFreeRatios.platform().collectWithAtMost(10, () -> {
            throw new IllegalStateException("collection failed");
        })).hasMessage("collection failed");
        assertRestored();
    }

    @Test
    void neverLoosensAMaximumBelowTheOneAskedFor() {
        vm.setVMOption(HeapFreeRatios.MIN, "0");
        vm.setVMOption(HeapFreeRatios.MAX, "5");
        try {
            String[] during = new String[1];
            HeapFreeRatios.platform().collectWithAtMost(10, () -> during[0] = flag(HeapFreeRatios.MAX));
            assertThat(during[0]).isEqualTo("5");
        } finally {
            vm.setVMOption(HeapFreeRatios.MAX, max);
            vm.setVMOption(HeapFreeRatios.MIN, min);
        }
    }
}
