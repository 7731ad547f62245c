package io.keel.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One member's server configuration, from etcd's flags with etcd's defaults
 * ({@link ServerConfigParser} builds it). Immutable value; thread-safe.
 *
 * @param name                            {@code --name}
 * @param dataDir                         {@code --data-dir}
 * @param listenClientUrls                {@code --listen-client-urls}: gRPC and HTTP share each port
 * @param advertiseClientUrls             {@code --advertise-client-urls}
 * @param listenPeerUrls                  {@code --listen-peer-urls}
 * @param initialAdvertisePeerUrls        {@code --initial-advertise-peer-urls}
 * @param initialCluster                  {@code --initial-cluster}
 * @param initialClusterState             {@code --initial-cluster-state}
 * @param initialClusterToken             {@code --initial-cluster-token}
 * @param heartbeatIntervalMs             {@code --heartbeat-interval}
 * @param electionTimeoutMs               {@code --election-timeout}
 * @param snapshotCount                   {@code --snapshot-count}
 * @param quotaBackendBytes               {@code --quota-backend-bytes}; 0 means {@link #DEFAULT_QUOTA_BYTES}
 * @param maxRequestBytes                 {@code --max-request-bytes}
 * @param maxTxnOps                       {@code --max-txn-ops}
 * @param preVote                         {@code --pre-vote}
 * @param initialElectionTickAdvance      {@code --initial-election-tick-advance}
 * @param initialCorruptCheck             {@code --experimental-initial-corrupt-check}
 * @param corruptCheckTime                {@code --experimental-corrupt-check-time}; zero disables
 * @param logLevel                        {@code --log-level}
 * @param listenMetricsUrls               {@code --listen-metrics-urls}
 * @param tracing                         the distributed-tracing flags
 * @param leaseCheckpointInterval         {@code --experimental-lease-checkpoint-interval}
 * @param watchProgressNotifyInterval     {@code --experimental-watch-progress-notify-interval}
 * @param backendBatchInterval            {@code --backend-batch-interval}; zero means the applier's default
 * @param backendBatchLimit               {@code --backend-batch-limit}; 0 means the applier's default
 */
public record ServerConfig(String name, Path dataDir, List<URI> listenClientUrls, List<URI> advertiseClientUrls,
                           List<URI> listenPeerUrls, List<URI> initialAdvertisePeerUrls, PeerUrlsMap initialCluster,
                           ClusterState initialClusterState, String initialClusterToken, long heartbeatIntervalMs,
                           long electionTimeoutMs, long snapshotCount, long quotaBackendBytes, long maxRequestBytes,
                           long maxTxnOps, boolean preVote, boolean initialElectionTickAdvance,
                           boolean initialCorruptCheck, Duration corruptCheckTime, String logLevel,
                           List<URI> listenMetricsUrls, TracingConfig tracing,
                           Duration leaseCheckpointInterval, Duration watchProgressNotifyInterval,
                           Duration backendBatchInterval, long backendBatchLimit) {
    /** etcd's backend quota when {@code --quota-backend-bytes} is 0: 2 GiB. */
    public static final long DEFAULT_QUOTA_BYTES = 2L * 1024 * 1024 * 1024;
    /** etcd refuses election timeouts above this. */
    public static final long MAX_ELECTION_TIMEOUT_MS = 50_000;
    /** gRPC framing allowance etcd adds to {@code --max-request-bytes} for the receive limit. */
    public static final long GRPC_OVERHEAD_BYTES = 512 * 1024;
    public static final Set<String> LOG_LEVELS = Set.of("debug", "info", "warn", "error", "panic", "fatal");

    public ServerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataDir, "dataDir");
        listenClientUrls = List.copyOf(listenClientUrls);
        advertiseClientUrls = List.copyOf(advertiseClientUrls);
        listenPeerUrls = List.copyOf(listenPeerUrls);
        initialAdvertisePeerUrls = List.copyOf(initialAdvertisePeerUrls);
        Objects.requireNonNull(initialCluster, "initialCluster");
        Objects.requireNonNull(initialClusterState, "initialClusterState");
        Objects.requireNonNull(initialClusterToken, "initialClusterToken");
        Objects.requireNonNull(corruptCheckTime, "corruptCheckTime");
        Objects.requireNonNull(logLevel, "logLevel");
        listenMetricsUrls = List.copyOf(listenMetricsUrls);
        Objects.requireNonNull(tracing, "tracing");
        Objects.requireNonNull(leaseCheckpointInterval, "leaseCheckpointInterval");
        Objects.requireNonNull(watchProgressNotifyInterval, "watchProgressNotifyInterval");
        Objects.requireNonNull(backendBatchInterval, "backendBatchInterval");
    }

    /** Checks the settings with etcd's rules; returns this or throws IllegalArgumentException. */
    public ServerConfig validate() {
        require(!name.isEmpty(), "--name must not be empty");
        require(!listenClientUrls.isEmpty(), "--listen-client-urls must not be empty");
        require(!advertiseClientUrls.isEmpty(),
                "--advertise-client-urls is required when --listen-client-urls is set explicitly");
        require(!listenPeerUrls.isEmpty(), "--listen-peer-urls must not be empty");
        require(!initialAdvertisePeerUrls.isEmpty(), "--initial-advertise-peer-urls must not be empty");
        require(heartbeatIntervalMs > 0, "--heartbeat-interval must be >0 (set to " + heartbeatIntervalMs + "ms)");
        require(electionTimeoutMs > 0, "--election-timeout must be >0 (set to " + electionTimeoutMs + "ms)");
        require(5 * heartbeatIntervalMs <= electionTimeoutMs, "--election-timeout[" + electionTimeoutMs
                + "ms] should be at least as 5 times as --heartbeat-interval[" + heartbeatIntervalMs + "ms]");
        require(electionTimeoutMs <= MAX_ELECTION_TIMEOUT_MS, "--election-timeout[" + electionTimeoutMs
                + "ms] is too long, and should be set less than " + MAX_ELECTION_TIMEOUT_MS + "ms");
        require(snapshotCount >= 0, "--snapshot-count must be >= 0");
        require(quotaBackendBytes >= 0, "--quota-backend-bytes must be >= 0");
        require(maxRequestBytes > 0, "--max-request-bytes must be > 0");
        require(maxTxnOps > 0, "--max-txn-ops must be > 0");
        require(!watchProgressNotifyInterval.isNegative(),
                "--experimental-watch-progress-notify-interval must not be negative");
        require(!corruptCheckTime.isNegative(), "--experimental-corrupt-check-time must not be negative");
        require(!backendBatchInterval.isNegative(), "--backend-batch-interval must not be negative");
        require(backendBatchLimit >= 0, "--backend-batch-limit must be >= 0");
        require(leaseCheckpointInterval.toMillis() > 0, "--experimental-lease-checkpoint-interval must be > 0");
        require(LOG_LEVELS.contains(logLevel), "--log-level must be one of debug, info, warn, error, panic, fatal"
                + " (set to '" + logLevel + "')");
        for (List<URI> urls : List.of(listenClientUrls, listenPeerUrls, listenMetricsUrls)) {
            for (URI u : urls) {
                require("http".equals(u.getScheme()), "TLS is not supported yet: " + u);
            }
        }
        List<URI> mine = initialCluster.members().get(name);
        require(mine != null, "couldn't find local name \"" + name + "\" in the initial cluster configuration ("
                + initialCluster.toFlagText() + ")");
        require(mine.equals(UrlList.sorted(initialAdvertisePeerUrls)), "--initial-cluster has " + name + "="
                + mine + " but missing from --initial-advertise-peer-urls=" + initialAdvertisePeerUrls);
        tracing.validate();
        return this;
    }

    /** The backend quota in force: etcd's 2 GiB default when the flag is 0. */
    public long effectiveQuotaBackendBytes() {
        return quotaBackendBytes == 0 ? DEFAULT_QUOTA_BYTES : quotaBackendBytes;
    }

    /** Largest gRPC message a client may send: the request limit plus framing, as etcd sets it. */
    public long maxReceiveMessageBytes() {
        return maxRequestBytes + GRPC_OVERHEAD_BYTES;
    }

    /** Election timeout in heartbeat ticks, as etcd derives it for Raft. */
    public int electionTicks() {
        return (int) (electionTimeoutMs / heartbeatIntervalMs);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
