package io.keel.backend;

import io.keel.server.EtcdVersion;
import io.keel.server.config.ObservabilityConfig;
import io.keel.server.config.ServerConfig;
import io.keel.server.membership.MemberIds;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The structured lines a member logs as it starts, named and keyed as etcd's ("starting an etcd
 * server", "serving client traffic insecurely; ..."), so log tooling written for etcd finds them.
 *
 * <p>Owner: {@link KeelMain}. Thread-safety: stateless.
 */
final class StartupLog {
    private static final Logger LOG = LoggerFactory.getLogger(StartupLog.class);

    private StartupLog() {
    }

    static void starting(ServerConfig config, ObservabilityConfig observability) {
        LOG.atInfo().addKeyValue("etcd-version", EtcdVersion.SERVER)
                .addKeyValue("java-version", System.getProperty("java.version"))
                .addKeyValue("max-cpu-available", Runtime.getRuntime().availableProcessors())
                .addKeyValue("name", config.name())
                .addKeyValue("data-dir", config.dataDir().toString())
                .addKeyValue("listen-client-urls", strings(config.listenClientUrls()))
                .addKeyValue("listen-peer-urls", strings(config.listenPeerUrls()))
                .addKeyValue("initial-cluster", config.initialCluster().toFlagText())
                .addKeyValue("initial-cluster-state", config.initialClusterState().name().toLowerCase())
                .addKeyValue("snapshot-count", config.snapshotCount())
                .addKeyValue("heartbeat-interval", config.heartbeatIntervalMs() + "ms")
                .addKeyValue("election-timeout", config.electionTimeoutMs() + "ms")
                .addKeyValue("quota-backend-bytes", config.effectiveQuotaBackendBytes())
                .addKeyValue("distributed-tracing", observability.tracing().enabled())
                .log("starting an etcd server");
        if (observability.tracing().enabled()) {
            LOG.atInfo().addKeyValue("address", observability.tracing().address())
                    .addKeyValue("service-name", observability.tracing().serviceName())
                    .addKeyValue("instance-id", observability.tracing().instanceId())
                    .addKeyValue("sampling-rate", observability.tracing().samplingRatePerMillion())
                    .log("distributed tracing is enabled");
        }
    }

    /** @param transport Netty's transport under Vert.x: "epoll" (native) or "nio" (the JDK's, the fallback) */
    static void serving(ServerConfig config, KeelMember member, KeelServer server, String transport) {
        LOG.atInfo().addKeyValue("local-member-id", MemberIds.toHex(member.memberId()))
                .addKeyValue("cluster-id", MemberIds.toHex(member.clusterId()))
                .addKeyValue("advertise-client-urls", strings(config.advertiseClientUrls()))
                .addKeyValue("listen-client-urls", strings(server.boundClientUrls()))
                .addKeyValue("listen-peer-urls", strings(server.boundPeerUrls()))
                .addKeyValue("network-transport", transport)
                .log("now serving peer/client/metrics");
        for (URI url : server.boundPeerUrls()) {
            LOG.atInfo().addKeyValue("address", url.getHost() + ":" + url.getPort()).log("serving peer traffic");
        }
        for (URI url : server.boundClientUrls()) {
            LOG.atInfo().addKeyValue("address", url.getHost() + ":" + url.getPort())
                    .log("serving client traffic insecurely; this is strongly discouraged!");
        }
    }

    private static List<String> strings(List<URI> urls) {
        return urls.stream().map(URI::toString).toList();
    }
}
