package io.keel.server.config;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every command-line flag Keel accepts, named as etcd names it, with etcd's default. A default of
 * {@code null} means "derived from other flags" (see {@link ServerConfigParser}). Immutable; thread-safe.
 */
public enum Flag {
    NAME("name", FlagKind.STRING, "default", "Human-readable name for this member."),
    DATA_DIR("data-dir", FlagKind.STRING, null, "Path to the data directory (default '<name>.keel')."),
    LISTEN_CLIENT_URLS("listen-client-urls", FlagKind.STRING, "http://127.0.0.1:2379",
            "List of URLs to listen on for client traffic (gRPC and HTTP on the same port)."),
    ADVERTISE_CLIENT_URLS("advertise-client-urls", FlagKind.STRING, "http://localhost:2379",
            "List of this member's client URLs to advertise to the public."),
    LISTEN_PEER_URLS("listen-peer-urls", FlagKind.STRING, "http://127.0.0.1:2380",
            "List of URLs to listen on for peer traffic."),
    INITIAL_ADVERTISE_PEER_URLS("initial-advertise-peer-urls", FlagKind.STRING, "http://localhost:2380",
            "List of this member's peer URLs to advertise to the rest of the cluster."),
    INITIAL_CLUSTER("initial-cluster", FlagKind.STRING, null,
            "Initial cluster configuration for bootstrapping (default '<name>=<initial-advertise-peer-urls>')."),
    INITIAL_CLUSTER_STATE("initial-cluster-state", FlagKind.STRING, "new",
            "Initial cluster state ('new' or 'existing')."),
    INITIAL_CLUSTER_TOKEN("initial-cluster-token", FlagKind.STRING, "etcd-cluster",
            "Initial cluster token for the cluster during bootstrap."),
    HEARTBEAT_INTERVAL("heartbeat-interval", FlagKind.UINT, "100", "Time (in milliseconds) of a heartbeat interval."),
    ELECTION_TIMEOUT("election-timeout", FlagKind.UINT, "1000",
            "Time (in milliseconds) for an election to timeout."),
    SNAPSHOT_COUNT("snapshot-count", FlagKind.UINT, "100000",
            "Number of committed transactions to trigger a snapshot to disk."),
    QUOTA_BACKEND_BYTES("quota-backend-bytes", FlagKind.INT, "0",
            "Maximum size of the backend database in bytes; 0 means the default 2 GiB."),
    BACKEND_BATCH_INTERVAL("backend-batch-interval", FlagKind.DURATION, "0s",
            "Longest a backend (LMDB) write transaction stays open for later writes to join before it is "
                    + "committed; 0 means 100ms."),
    BACKEND_BATCH_LIMIT("backend-batch-limit", FlagKind.INT, "0",
            "Most key-value changes a backend write transaction holds before it is committed; 0 means 1000."),
    MAX_REQUEST_BYTES("max-request-bytes", FlagKind.UINT, "1572864",
            "Maximum client request size in bytes the server will accept."),
    MAX_TXN_OPS("max-txn-ops", FlagKind.UINT, "128", "Maximum number of operations permitted in a transaction."),
    PRE_VOTE("pre-vote", FlagKind.BOOL, "true", "Enable to run an additional Raft election phase."),
    INITIAL_ELECTION_TICK_ADVANCE("initial-election-tick-advance", FlagKind.BOOL, "true",
            "Whether to fast-forward initial election ticks on boot for faster election."),
    EXPERIMENTAL_INITIAL_CORRUPT_CHECK("experimental-initial-corrupt-check", FlagKind.BOOL, "false",
            "Enable to check data corruption before serving any client/peer traffic."),
    EXPERIMENTAL_CORRUPT_CHECK_TIME("experimental-corrupt-check-time", FlagKind.DURATION, "0s",
            "Duration of time between cluster corruption check passes."),
    EXPERIMENTAL_LEASE_CHECKPOINT_INTERVAL("experimental-lease-checkpoint-interval", FlagKind.DURATION, "5m0s",
            "Duration of time between leader checkpoints of lease remaining TTLs (always on in Keel)."),
    EXPERIMENTAL_WATCH_PROGRESS_NOTIFY_INTERVAL("experimental-watch-progress-notify-interval", FlagKind.DURATION,
            "10m0s", "Duration of periodic watch progress notifications."),
    LOG_LEVEL("log-level", FlagKind.STRING, "info",
            "Log level: debug, info, warn, error, panic, or fatal."),
    LOG_OUTPUTS("log-outputs", FlagKind.STRING, "default",
            "Where to write logs: 'default' (stderr), 'stderr', 'stdout' or file paths, comma-separated."),
    ENABLE_LOG_ROTATION("enable-log-rotation", FlagKind.BOOL, "false",
            "Enable size-based rotation of a file in --log-outputs."),
    LOG_ROTATION_CONFIG_JSON("log-rotation-config-json", FlagKind.STRING,
            "{\"maxsize\": 100, \"maxage\": 0, \"maxbackups\": 0, \"localtime\": false, \"compress\": false}",
            "Log rotation: maxsize in MB and maxbackups (0: Keel keeps 10) are honoured."),
    EXPERIMENTAL_WARNING_APPLY_DURATION("experimental-warning-apply-duration", FlagKind.DURATION, "100ms",
            "Time duration after which a warning is generated if applying a request takes more time."),
    LISTEN_METRICS_URLS("listen-metrics-urls", FlagKind.STRING, "",
            "List of additional URLs to listen on that answer /metrics and /health."),
    ENABLE_DISTRIBUTED_TRACING("enable-distributed-tracing", FlagKind.BOOL, "false",
            "Enable distributed tracing with OpenTelemetry.", "experimental-enable-distributed-tracing"),
    DISTRIBUTED_TRACING_ADDRESS("distributed-tracing-address", FlagKind.STRING, "localhost:4317",
            "OTLP collector address.", "experimental-distributed-tracing-address"),
    DISTRIBUTED_TRACING_SERVICE_NAME("distributed-tracing-service-name", FlagKind.STRING, "etcd",
            "Service name for distributed tracing.", "experimental-distributed-tracing-service-name"),
    DISTRIBUTED_TRACING_INSTANCE_ID("distributed-tracing-instance-id", FlagKind.STRING, "",
            "Service instance id for distributed tracing; unique per member.",
            "experimental-distributed-tracing-instance-id"),
    DISTRIBUTED_TRACING_SAMPLING_RATE("distributed-tracing-sampling-rate", FlagKind.INT, "0",
            "Number of samples to collect per million spans.", "experimental-distributed-tracing-sampling-rate"),
    SLOW_REQUEST_THRESHOLD("slow-request-threshold", FlagKind.DURATION, "100ms",
            "Keel only: a request taking longer is logged as a step trace and kept for the console "
                    + "(etcd fixes it at 100ms)."),
    CONSOLE_JAEGER_URL("console-jaeger-url", FlagKind.STRING, "http://localhost:16686",
            "Keel only: the Jaeger UI the console's slow-request screen links trace ids to."),
    HELP("help", FlagKind.BOOL, "false", "Show this help and exit.", "h"),
    VERSION("version", FlagKind.BOOL, "false", "Print the version and exit.");

    private static final Map<String, Flag> BY_NAME = Arrays.stream(values())
            .flatMap(f -> f.names().stream().map(n -> Map.entry(n, f)))
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

    private final String flagName;
    private final FlagKind kind;
    private final String defaultValue;
    private final String help;
    private final String alias;

    Flag(String flagName, FlagKind kind, String defaultValue, String help) {
        this(flagName, kind, defaultValue, help, null);
    }

    Flag(String flagName, FlagKind kind, String defaultValue, String help, String alias) {
        this.flagName = flagName;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.help = help;
        this.alias = alias;
    }

    /** The flag by its name or alias, without dashes. */
    public static Optional<Flag> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public String flagName() {
        return flagName;
    }

    public FlagKind kind() {
        return kind;
    }

    /** etcd's default as flag text, or null when derived from other flags. */
    public String defaultValue() {
        return defaultValue;
    }

    public String help() {
        return help;
    }

    /** The name plus its alias (etcd 3.5's experimental- spelling of the tracing flags). */
    public java.util.List<String> names() {
        return alias == null ? java.util.List.of(flagName) : java.util.List.of(flagName, alias);
    }

    /** One usage line per flag, as {@code --help} prints them. */
    public static String usage() {
        Function<Flag, String> line = f -> "  --" + f.flagName
                + (f.defaultValue == null || f.defaultValue.isEmpty() ? "" : " (default '" + f.defaultValue + "')")
                + "\n      " + f.help;
        return Arrays.stream(values()).map(line).collect(Collectors.joining("\n"));
    }
}
