package io.keel.backend.memory;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Runs a collection with the heap's free ratios tightened, so that it gives back all but a little
 * of the old generation's free memory, and puts the JVM's ratios back after.
 *
 * <p>{@code MinHeapFreeRatio} and {@code MaxHeapFreeRatio} are manageable flags: the serial and
 * parallel collectors read them at each full collection to decide how much free memory the old
 * generation keeps (bin/keel's members run with 20 and 40: room to grow under load without a
 * full collection per megabyte). An idle member has no use for that room, and with
 * {@code -XX:-ShrinkHeapInSteps} one collection gives it back at once.
 *
 * <p>Thread-safety: one caller at a time (the member's timer thread); a collection the JVM starts
 * itself meanwhile sees the tight ratios too, which only makes it give back more.
 */
final class HeapFreeRatios {
    static final String MIN = "MinHeapFreeRatio";
    static final String MAX = "MaxHeapFreeRatio";

    private final HotSpotDiagnosticMXBean vm;

    HeapFreeRatios(HotSpotDiagnosticMXBean vm) {
        this.vm = vm;
    }

    /** This JVM's flags. */
    static HeapFreeRatios platform() {
        return new HeapFreeRatios(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class));
    }

    /**
     * Runs {@code collect} with at most {@code maxFreePercent} of the heap left free after it, then
     * restores both ratios, also when {@code collect} throws.
     */
    void collectWithAtMost(int maxFreePercent, Runnable collect) {
        String min = vm.getVMOption(MIN).getValue();
        String max = vm.getVMOption(MAX).getValue();
        int tight = Math.min(maxFreePercent, Integer.parseInt(max));
        // The JVM checks min <= max at every change: lower the minimum first, raise it last.
        vm.setVMOption(MIN, "0");
        try {
            vm.setVMOption(MAX, Integer.toString(tight));
            try {
                collect.run();
            } finally {
                vm.setVMOption(MAX, max);
            }
        } finally {
            vm.setVMOption(MIN, min);
        }
    }
}
