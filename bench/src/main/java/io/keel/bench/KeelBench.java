package io.keel.bench;

import io.keel.bench.cli.BenchArgs;
import io.keel.bench.client.Endpoints;
import io.keel.bench.workload.KvBenchmarks;
import io.keel.bench.workload.LeaseKeepAliveBenchmark;
import io.keel.bench.workload.RunSettings;
import io.keel.bench.workload.WatchBenchmark;

import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code keel-bench}: a load tool for the etcd v3 gRPC API, modelled on etcd's own
 * {@code tools/benchmark}, so the same command measures Keel and etcd. Prints a human report and,
 * last, one JSON line. Entry point of {@code bin/keel-bench}; each call of {@link #run} is
 * independent (no shared state).
 */
public final class KeelBench {
    static final String USAGE = """
            usage: keel-bench <command> [flags]

            commands (flags and defaults as etcd's benchmark):
              put              --key-size 8 --val-size 8 --total 10000 --key-space-size 1 [--sequential-keys]
              range KEY [END]  --total 10000 --consistency l|s [--prefix] [--limit 0]
              txn-put          --key-size 8 --val-size 8 --total 10000 --key-space-size 1 --txn-ops 1
              watch            --streams 10 --watch-per-stream 100 --watched-key-total 1 --put-total 1000
                               --key-size 32 --key-space-size 1 [--sequential-keys] --val-size 8
                               (puts use --clients; event latency = put sent -> event received)
              lease-keepalive  --total 10000
              jmh [JMH args]   the JMH benchmarks of Keel's hot paths in this module (e.g. jmh Codec)

            global flags:
              --endpoints 127.0.0.1:2379   comma-separated host:port or http://host:port
              --clients 1                   requests in flight (one per client)
              --conns 1                     HTTP/2 connections, dealt round-robin over the endpoints
              --target-leader               connect only to the leader
              --timeout 10m                 give up (and report as incomplete) after this long
            """;

    private KeelBench() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(System.out, args);
        } catch (IllegalArgumentException e) {
            System.err.println("keel-bench: " + e.getMessage());
            System.err.print(USAGE);
            code = 2;
        } catch (Exception e) {
            System.err.println("keel-bench: " + e);
            code = 1;
        }
        System.exit(code);
    }

    /** Runs one command; returns the exit code (0 when every request succeeded in time). */
    public static int run(PrintStream out, String... args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            // JMH reads its own flags (-f, -wi, -i, a benchmark regex ...).
            org.openjdk.jmh.Main.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return 0;
        }
        BenchArgs a = BenchArgs.parse(args);
        if (a.command() == null || a.has("help") || a.command().equals("help")) {
            out.print(USAGE);
            return a.command() == null ? 2 : 0;
        }
        RunSettings s = new RunSettings(Endpoints.parse(a.string("endpoints", "127.0.0.1:2379")),
                a.integer("clients", 1), a.integer("conns", 1), a.bool("target-leader"),
                a.duration("timeout", Duration.ofMinutes(10)), out);
        switch (a.command()) {
            case "put":
                return KvBenchmarks.put(a, s);
            case "range":
                return KvBenchmarks.range(a, s);
            case "txn-put":
                return KvBenchmarks.txnPut(a, s);
            case "watch":
                return WatchBenchmark.run(a, s);
            case "lease-keepalive":
                return LeaseKeepAliveBenchmark.run(a, s);
            default:
                throw new IllegalArgumentException("unknown command: " + a.command());
        }
    }
}
