package io.keel.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a validated {@link ServerConfig} from a command line, applying etcd's defaults and its
 * derived defaults ({@code --data-dir <name>.keel}, {@code --initial-cluster
 * <name>=<initial-advertise-peer-urls>}). Stateless; thread-safe.
 */
public final class ServerConfigParser {
    private ServerConfigParser() {
    }

    /** Parses and validates; every problem is a {@link FlagException} with an operator-facing message. */
    public static ServerConfig parse(String[] args) throws FlagException {
        return fromFlags(FlagParser.parse(args));
    }

    /** Builds the configuration from already-split flag values. */
    public static ServerConfig fromFlags(Map<Flag, String> given) throws FlagException {
        Values v = new Values(given);
        String name = v.text(Flag.NAME);
        List<URI> advertisePeer = UrlList.parse("--initial-advertise-peer-urls", v.text(Flag.INITIAL_ADVERTISE_PEER_URLS));
        PeerUrlsMap initialCluster = given.containsKey(Flag.INITIAL_CLUSTER)
                ? PeerUrlsMap.parse(given.get(Flag.INITIAL_CLUSTER))
                : PeerUrlsMap.ofSingle(name, advertisePeer);
        String dataDir = given.getOrDefault(Flag.DATA_DIR, name + ".keel");
        TracingConfig tracing = new TracingConfig(v.bool(Flag.ENABLE_DISTRIBUTED_TRACING),
                v.text(Flag.DISTRIBUTED_TRACING_ADDRESS), v.text(Flag.DISTRIBUTED_TRACING_SERVICE_NAME),
                v.text(Flag.DISTRIBUTED_TRACING_INSTANCE_ID), (int) v.integer(Flag.DISTRIBUTED_TRACING_SAMPLING_RATE,
                        Integer.MIN_VALUE, Integer.MAX_VALUE));
        ServerConfig config = new ServerConfig(name, Path.of(dataDir),
                UrlList.parse("--listen-client-urls", v.text(Flag.LISTEN_CLIENT_URLS)),
                advertiseClientUrls(given, v),
                UrlList.parse("--listen-peer-urls", v.text(Flag.LISTEN_PEER_URLS)),
                advertisePeer, initialCluster, clusterState(v.text(Flag.INITIAL_CLUSTER_STATE)),
                v.text(Flag.INITIAL_CLUSTER_TOKEN),
                v.unsigned(Flag.HEARTBEAT_INTERVAL), v.unsigned(Flag.ELECTION_TIMEOUT), v.unsigned(Flag.SNAPSHOT_COUNT),
                v.integer(Flag.QUOTA_BACKEND_BYTES, Long.MIN_VALUE, Long.MAX_VALUE),
                v.unsigned(Flag.MAX_REQUEST_BYTES), v.unsigned(Flag.MAX_TXN_OPS),
                v.bool(Flag.PRE_VOTE), v.bool(Flag.INITIAL_ELECTION_TICK_ADVANCE),
                v.bool(Flag.EXPERIMENTAL_INITIAL_CORRUPT_CHECK),
                GoDuration.parse(v.text(Flag.EXPERIMENTAL_CORRUPT_CHECK_TIME)), v.text(Flag.LOG_LEVEL),
                UrlList.parse("--listen-metrics-urls", v.text(Flag.LISTEN_METRICS_URLS)), tracing,
                GoDuration.parse(v.text(Flag.EXPERIMENTAL_LEASE_CHECKPOINT_INTERVAL)),
                GoDuration.parse(v.text(Flag.EXPERIMENTAL_WATCH_PROGRESS_NOTIFY_INTERVAL)),
                GoDuration.parse(v.text(Flag.BACKEND_BATCH_INTERVAL)),
                v.integer(Flag.BACKEND_BATCH_LIMIT, Long.MIN_VALUE, Long.MAX_VALUE));
        try {
            return config.validate();
        } catch (IllegalArgumentException e) {
            throw new FlagException(e.getMessage());
        }
    }

    /** As etcd: listening on explicit client URLs without advertising any is an error, not a default. */
    private static List<URI> advertiseClientUrls(Map<Flag, String> given, Values v) throws FlagException {
        if (given.containsKey(Flag.LISTEN_CLIENT_URLS) && !given.containsKey(Flag.ADVERTISE_CLIENT_URLS)) {
            return List.of();
        }
        return UrlList.parse("--advertise-client-urls", v.text(Flag.ADVERTISE_CLIENT_URLS));
    }

    private static ClusterState clusterState(String text) throws FlagException {
        return switch (text) {
            case "new" -> ClusterState.NEW;
            case "existing" -> ClusterState.EXISTING;
            default -> throw new FlagException("invalid value \"" + text + "\" for flag -initial-cluster-state: "
                    + "valid values are \"new\", \"existing\"");
        };
    }

    /** The given text of each flag, or etcd's default. */
    private record Values(Map<Flag, String> given) {
        String text(Flag f) {
            return given.getOrDefault(f, f.defaultValue());
        }

        boolean bool(Flag f) {
            return Boolean.parseBoolean(text(f));
        }

        long unsigned(Flag f) throws FlagException {
            return integer(f, 0, Long.MAX_VALUE);
        }

        long integer(Flag f, long min, long max) throws FlagException {
            String t = text(f).trim();
            long value;
            try {
                String lower = t.toLowerCase(Locale.ROOT);
                boolean neg = lower.startsWith("-");
                String digits = neg || lower.startsWith("+") ? lower.substring(1) : lower;
                value = digits.startsWith("0x") ? Long.parseLong(digits.substring(2), 16) : Long.parseLong(digits);
                value = neg ? -value : value;
            } catch (NumberFormatException e) {
                throw new FlagException("invalid value \"" + t + "\" for flag -" + f.flagName() + ": parse error");
            }
            if (value < min || value > max) {
                throw new FlagException("invalid value \"" + t + "\" for flag -" + f.flagName() + ": value out of range");
            }
            return value;
        }
    }
}
