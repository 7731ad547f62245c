package io.keel.bench.report;

import java.util.Map;

/**
 * The statistics of one run: throughput and the latency distribution in milliseconds, computed
 * from every sample (nearest-rank percentiles). Immutable.
 *
 * @param name      what was measured ("put", "range", "watch-events", ...)
 * @param ok        operations that succeeded
 * @param errors    operations that failed
 * @param seconds   wall time of the run
 * @param samplesMs sorted latencies in milliseconds
 */
public record Summary(String name, long ok, long errors, Map<String, Long> errorsByMessage, double seconds,
                      double[] samplesMs) {

    public static Summary of(String name, LatencyRecorder r, long elapsedNanos) {
        long[] sorted = r.sortedSamples();
        double[] ms = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            ms[i] = sorted[i] / 1e6;
        }
        return new Summary(name, sorted.length, r.errors(), r.errorsByMessage(), elapsedNanos / 1e9, ms);
    }

    public double perSecond() {
        return seconds <= 0 ? 0 : ok / seconds;
    }

    public double min() {
        return samplesMs.length == 0 ? 0 : samplesMs[0];
    }

    public double max() {
        return samplesMs.length == 0 ? 0 : samplesMs[samplesMs.length - 1];
    }

    public double avg() {
        double sum = 0;
        for (double v : samplesMs) {
            sum += v;
        }
        return samplesMs.length == 0 ? 0 : sum / samplesMs.length;
    }

    public double stddev() {
        if (samplesMs.length == 0) {
            return 0;
        }
        double mean = avg();
        double sq = 0;
        for (double v : samplesMs) {
            sq += (v - mean) * (v - mean);
        }
        return Math.sqrt(sq / samplesMs.length);
    }

    /** Nearest-rank percentile, {@code p} in (0, 100]. */
    public double percentile(double p) {
        if (samplesMs.length == 0) {
            return 0;
        }
        // The epsilon keeps 99.9% of 1000 at rank 999 despite binary floating point.
        int rank = (int) Math.ceil(p * samplesMs.length / 100.0 - 1e-9);
        return samplesMs[Math.max(0, Math.min(samplesMs.length - 1, rank - 1))];
    }
}
