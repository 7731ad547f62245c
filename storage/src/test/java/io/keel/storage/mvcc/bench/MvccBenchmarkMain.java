package io.keel.storage.mvcc.bench;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the MVCC benchmarks: {@code mvn -B -ntp -pl storage -am -Pbench process-test-classes}
 * (optionally {@code -Dbench.args=<regex>} to pick benchmarks). One fork, short iterations: enough
 * for a rough number on a shared 2-core machine, not a rigorous measurement.
 */
public final class MvccBenchmarkMain {
    private MvccBenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(args.length > 0 ? args[0] : "io\\.keel\\.storage\\.mvcc\\.bench\\..*")
                .forks(1)
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(3))
                .threads(1)
                .build();
        new Runner(options).run();
    }
}
