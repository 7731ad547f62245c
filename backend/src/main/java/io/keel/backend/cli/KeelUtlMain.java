package io.keel.backend.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Entry point of {@code bin/keelutl}, Keel's offline tool (etcdutl's role; its commands and
 * output as etcdctl 3.4's {@code snapshot status} and {@code snapshot restore}). Exit codes as
 * etcdctl's: 1 for an error, 4 for an unsupported output format, 128 for bad arguments. Runs on
 * the main thread.
 */
public final class KeelUtlMain {
    static final int EXIT_ERROR = 1;
    static final int EXIT_BAD_FEATURE = 4;
    static final int EXIT_BAD_ARGS = 128;

    private static final Set<String> VALUED = Set.of("write-out", "data-dir", "wal-dir", "name", "initial-cluster",
            "initial-cluster-token", "initial-advertise-peer-urls");
    private static final Set<String> BOOLS = Set.of("skip-hash-check", "help");
    private static final Map<String, String> SHORTS = Map.of("w", "write-out", "h", "help");
    private static final String USAGE = """
            Usage:
              keelutl snapshot status <filename> [-w simple|table|json|fields]
              keelutl snapshot restore <filename> [--data-dir DIR] [--name NAME] [--initial-cluster CLUSTER]
                  [--initial-cluster-token TOKEN] [--initial-advertise-peer-urls URLS] [--skip-hash-check]
            """;

    private KeelUtlMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns its exit code. */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        List<String> args = Arrays.asList(argv);
        if (args.size() < 2 || !args.get(0).equals("snapshot")) {
            if (args.contains("--help") || args.contains("-h")) {
                out.print(USAGE);
                return 0;
            }
            err.print("Error: expected 'snapshot status' or 'snapshot restore'\n" + USAGE);
            return EXIT_BAD_ARGS;
        }
        CommandArgs parsed;
        try {
            parsed = CommandArgs.parse(args.subList(2, args.size()), VALUED, BOOLS, SHORTS);
        } catch (CommandArgs.UsageException e) {
            err.println("Error: " + e.getMessage());
            return EXIT_ERROR;
        }
        if (parsed.bool("help")) {
            out.print(USAGE);
            return 0;
        }
        return switch (args.get(1)) {
            case "status" -> SnapshotStatusCommand.run(parsed.positional(), parsed.flag("write-out", "simple"), out, err);
            case "restore" -> SnapshotRestoreCommand.run(parsed, out, err);
            default -> {
                err.print("Error: unknown command \"" + args.get(1) + "\" for \"keelutl snapshot\"\n" + USAGE);
                yield EXIT_ERROR;
            }
        };
    }
}
