package io.keel.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerConfigParserTest {
    private static ServerConfig parse(String... args) throws FlagException {
        return ServerConfigParser.parse(args);
    }

    @Test
    void noFlagsGiveEtcdsDefaults() throws FlagException {
        ServerConfig c = parse();
        assertThat(c.name()).isEqualTo("default");
        assertThat(c.dataDir()).isEqualTo(Path.of("default.keel"));
        assertThat(c.listenClientUrls()).containsExactly(URI.create("http://127.0.0.1:2379"));
        assertThat(c.advertiseClientUrls()).containsExactly(URI.create("http://localhost:2379"));
        assertThat(c.listenPeerUrls()).containsExactly(URI.create("http://127.0.0.1:2380"));
        assertThat(c.initialAdvertisePeerUrls()).containsExactly(URI.create("http://localhost:2380"));
        assertThat(c.initialCluster().toFlagText()).isEqualTo("default=http://localhost:2380");
        assertThat(c.initialClusterState()).isEqualTo(ClusterState.NEW);
        assertThat(c.initialClusterToken()).isEqualTo("etcd-cluster");
        assertThat(c.heartbeatIntervalMs()).isEqualTo(100);
        assertThat(c.electionTimeoutMs()).isEqualTo(1000);
        assertThat(c.electionTicks()).isEqualTo(10);
        assertThat(c.snapshotCount()).isEqualTo(100_000);
        assertThat(c.effectiveQuotaBackendBytes()).isEqualTo(2L << 30);
        assertThat(c.maxRequestBytes()).isEqualTo(1_572_864);
        assertThat(c.maxTxnOps()).isEqualTo(128);
        assertThat(c.preVote()).isTrue();
        assertThat(c.initialElectionTickAdvance()).isTrue();
        assertThat(c.initialCorruptCheck()).isFalse();
        assertThat(c.corruptCheckTime()).isEqualTo(Duration.ZERO);
        assertThat(c.logLevel()).isEqualTo("info");
        assertThat(c.listenMetricsUrls()).isEmpty();
        assertThat(c.tracing()).isEqualTo(new TracingConfig(false, "localhost:4317", "etcd", "", 0));
        assertThat(c.backendBatchInterval()).isEqualTo(Duration.ZERO);
        assertThat(c.backendBatchLimit()).isZero();
    }

    @Test
    void backendBatchFlagsAreEtcdsAndRefuseNegativeValues() throws FlagException {
        ServerConfig c = parse("--backend-batch-interval=250ms", "--backend-batch-limit", "5000");
        assertThat(c.backendBatchInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.backendBatchLimit()).isEqualTo(5000);
        assertThatThrownBy(() -> parse("--backend-batch-interval=-1s")).isInstanceOf(FlagException.class)
                .hasMessage("--backend-batch-interval must not be negative");
        assertThatThrownBy(() -> parse("--backend-batch-limit=-1")).isInstanceOf(FlagException.class)
                .hasMessage("--backend-batch-limit must be >= 0");
        assertThatThrownBy(() -> parse("--backend-batch-limit=many")).isInstanceOf(FlagException.class)
                .hasMessage("invalid value \"many\" for flag -backend-batch-limit: parse error");
    }

    @Test
    void aNameDerivesDataDirAndInitialCluster() throws FlagException {
        ServerConfig c = parse("--name", "infra1", "--initial-advertise-peer-urls", "http://10.0.1.10:2380");
        assertThat(c.dataDir()).isEqualTo(Path.of("infra1.keel"));
        assertThat(c.initialCluster().toFlagText()).isEqualTo("infra1=http://10.0.1.10:2380");
    }

    @Test
    void spaceAndEqualsFormsAndSingleDashAreAllAccepted() throws FlagException {
        ServerConfig a = parse("--snapshot-count", "5", "-max-txn-ops=7", "--election-timeout=2000", "-pre-vote=false");
        assertThat(a.snapshotCount()).isEqualTo(5);
        assertThat(a.maxTxnOps()).isEqualTo(7);
        assertThat(a.electionTimeoutMs()).isEqualTo(2000);
        assertThat(a.preVote()).isFalse();
    }

    @Test
    void aBareBooleanFlagMeansTrue() throws FlagException {
        assertThat(parse("--experimental-initial-corrupt-check").initialCorruptCheck()).isTrue();
    }

    @Test
    void aBooleanDoesNotTakeTheNextArgumentAsItsValue() {
        assertThatThrownBy(() -> parse("--pre-vote", "false"))
                .isInstanceOf(FlagException.class).hasMessage("'false' is not a valid flag");
    }

    @Test
    void unknownFlagsAreRejectedWithGosMessage() {
        assertThatThrownBy(() -> parse("--no-such-flag", "1"))
                .isInstanceOf(FlagException.class).hasMessage("flag provided but not defined: -no-such-flag");
    }

    @Test
    void malformedValuesAreRejected() {
        assertThatThrownBy(() -> parse("--heartbeat-interval", "ten")).isInstanceOf(FlagException.class)
                .hasMessageContaining("heartbeat-interval");
        assertThatThrownBy(() -> parse("--heartbeat-interval=-5")).isInstanceOf(FlagException.class);
        assertThatThrownBy(() -> parse("--initial-cluster-state", "maybe")).isInstanceOf(FlagException.class)
                .hasMessageContaining("initial-cluster-state");
        assertThatThrownBy(() -> parse("--listen-client-urls", "127.0.0.1:2379")).isInstanceOf(FlagException.class);
        assertThatThrownBy(() -> parse("--experimental-corrupt-check-time", "5 minutes"))
                .isInstanceOf(FlagException.class);
        assertThatThrownBy(() -> parse("--name")).isInstanceOf(FlagException.class)
                .hasMessage("flag needs an argument: -name");
    }

    @Test
    void electionTimeoutMustBeFiveHeartbeatsAsEtcdRequires() {
        assertThatThrownBy(() -> parse("--heartbeat-interval", "300", "--election-timeout", "1000"))
                .isInstanceOf(FlagException.class)
                .hasMessage("--election-timeout[1000ms] should be at least as 5 times as --heartbeat-interval[300ms]");
    }

    @Test
    void listenClientUrlsWithoutAdvertiseIsAnErrorAsInEtcd() {
        assertThatThrownBy(() -> parse("--listen-client-urls", "http://127.0.0.1:3379"))
                .isInstanceOf(FlagException.class).hasMessageContaining("--advertise-client-urls");
    }

    @Test
    void localNameMustBeInTheInitialClusterWithItsAdvertisedUrls() {
        assertThatThrownBy(() -> parse("--name", "x", "--initial-cluster", "y=http://localhost:2380"))
                .isInstanceOf(FlagException.class).hasMessageContaining("couldn't find local name \"x\"");
        assertThatThrownBy(() -> parse("--initial-cluster", "default=http://localhost:9999"))
                .isInstanceOf(FlagException.class).hasMessageContaining("--initial-advertise-peer-urls");
    }

    @Test
    void tracingFlagsAcceptBothTheNewAndTheExperimentalNames() throws FlagException {
        ServerConfig c = parse("--enable-distributed-tracing", "--distributed-tracing-address=127.0.0.1:4317",
                "--experimental-distributed-tracing-service-name", "keel",
                "--distributed-tracing-instance-id", "m1", "--distributed-tracing-sampling-rate", "1000000");
        assertThat(c.tracing()).isEqualTo(new TracingConfig(true, "127.0.0.1:4317", "keel", "m1", 1_000_000));
        assertThatThrownBy(() -> parse("--enable-distributed-tracing", "--distributed-tracing-sampling-rate=2000000"))
                .isInstanceOf(FlagException.class).hasMessageContaining("sampling-rate");
    }

    @Test
    void goDurationsParseAsInGo() throws FlagException {
        assertThat(GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(GoDuration.parse("300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(parse("--experimental-corrupt-check-time", "2m").corruptCheckTime()).isEqualTo(Duration.ofMinutes(2));
        assertThat(parse().watchProgressNotifyInterval()).as("etcd's default").isEqualTo(Duration.ofMinutes(10));
        assertThat(parse("--experimental-watch-progress-notify-interval", "1s").watchProgressNotifyInterval())
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void urlListsKeepEveryUrlAndInitialClusterGroupsByName() throws FlagException {
        ServerConfig c = parse("--listen-client-urls", "http://127.0.0.1:1,http://127.0.0.1:2",
                "--advertise-client-urls", "http://a:1", "--initial-advertise-peer-urls", "http://b:2,http://a:1",
                "--initial-cluster", "default=http://a:1,default=http://b:2,other=http://c:3");
        assertThat(c.listenClientUrls()).hasSize(2);
        assertThat(c.initialCluster().members().get("default"))
                .isEqualTo(List.of(URI.create("http://a:1"), URI.create("http://b:2")));
    }

    @Test
    void environmentVariablesFillFlagsNotGivenAndTheCommandLineWins() throws FlagException {
        var env = java.util.Map.of("ETCD_INITIAL_CLUSTER_TOKEN", "from-env", "ETCD_SNAPSHOT_COUNT", "7",
                "ETCD_PRE_VOTE", "false");
        ServerConfig c = ServerConfigParser.fromFlags(FlagParser.withEnvironment(
                FlagParser.parse(new String[] {"--snapshot-count", "9"}), env));
        assertThat(c.initialClusterToken()).isEqualTo("from-env");
        assertThat(c.snapshotCount()).isEqualTo(9);
        assertThat(c.preVote()).isFalse();
        assertThat(FlagParser.envName(Flag.LISTEN_CLIENT_URLS)).isEqualTo("ETCD_LISTEN_CLIENT_URLS");
    }

    @Test
    void doubleDashEndsFlagsAndStrayArgumentsAreErrors() throws FlagException {
        assertThat(parse("--name", "n", "--").name()).isEqualTo("n");
        assertThatThrownBy(() -> parse("stray")).isInstanceOf(FlagException.class)
                .hasMessage("'stray' is not a valid flag");
    }
}
