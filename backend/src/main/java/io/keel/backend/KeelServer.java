package io.keel.backend;

import io.keel.backend.admin.SlowRequestsEndpoint;
import io.keel.backend.admin.AdminApi;
import io.keel.backend.grpc.EtcdGrpcServer;
import io.keel.backend.grpc.StreamMessages;
import io.keel.backend.http.ClientListener;
import io.keel.backend.http.HttpEndpoints;
import io.keel.backend.http.MetricsListener;
import io.keel.backend.metrics.GrpcCallMetrics;
import io.keel.backend.metrics.MemberMetrics;
import io.keel.backend.metrics.MetricsEndpoint;
import io.keel.backend.peer.PeerMessageSink;
import io.keel.backend.peer.PeerStatusListener;
import io.keel.backend.peer.PeerTransport;
import io.keel.backend.peer.PeerTransportConfig;
import io.keel.server.ServerBackends;
import io.keel.server.config.ServerConfig;
import io.keel.server.membership.InitialMembership;
import io.keel.server.observe.Observability;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.server.GrpcServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One Keel member's network face: a listener per {@code --listen-client-urls} entry serving gRPC
 * and HTTP on the same port, in front of the {@link ServerBackends}; and the {@link PeerTransport}
 * on {@code --listen-peer-urls}, dialling the other members of {@code --initial-cluster}, whose
 * received messages go to the given {@link PeerMessageSink} (the Raft node's inbox once wired).
 * Created by {@link KeelMain} (or a test); {@link #start} and {@link #stop} are called from one
 * thread, the event loops do the rest.
 */
public final class KeelServer {
    private final Vertx vertx;
    private final ServerConfig config;
    private final ServerBackends backends;
    private final List<ClientListener> clientListeners = new ArrayList<>();
    private final List<URI> boundClientUrls = new ArrayList<>();
    private final List<URI> boundPeerUrls = new ArrayList<>();
    private final PeerTransport peers;
    private final boolean ownsPeers;
    private Observability observability = Observability.defaults();
    private final List<MetricsListener> metricsListeners = new ArrayList<>();
    private final List<URI> boundMetricsUrls = new ArrayList<>();
    private MemberMetrics metrics;
    private boolean ownsMetrics;
    private long consoleMemberId;
    private LongSupplier compactRevision;
    private String consoleJaegerUrl = AdminApi.DEFAULT_JAEGER_URL;

    /** A server with a transport of its own, dialling {@code --initial-cluster} (tests, the bare shell). */
    public KeelServer(Vertx vertx, ServerConfig config, ServerBackends backends, PeerMessageSink peerSink,
                      PeerStatusListener peerStatus) {
        this(vertx, config, backends, ownTransport(vertx, config, peerSink, peerStatus), true);
    }

    /**
     * A server in front of a member whose transport the member owns: this server makes it listen
     * on {@code --listen-peer-urls} but leaves stopping it to the member.
     */
    public KeelServer(Vertx vertx, ServerConfig config, ServerBackends backends, PeerTransport memberTransport) {
        this(vertx, config, backends, memberTransport, false);
    }

    private KeelServer(Vertx vertx, ServerConfig config, ServerBackends backends, PeerTransport peers,
                       boolean ownsPeers) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config").validate();
        this.backends = Objects.requireNonNull(backends, "backends");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.ownsPeers = ownsPeers;
    }

    private static PeerTransport ownTransport(Vertx vertx, ServerConfig config, PeerMessageSink peerSink,
                                              PeerStatusListener peerStatus) {
        InitialMembership membership = InitialMembership.of(config.validate());
        PeerTransport peers = new PeerTransport(vertx, PeerTransportConfig.defaults(membership.localMemberId(),
                membership.clusterId()), peerSink, peerStatus);
        membership.peerUrlsById().forEach((id, urls) -> {
            if (id != membership.localMemberId()) {
                peers.addPeer(id, urls.get(0));
            }
        });
        return peers;
    }

    /** Observes calls (spans, step traces, slow-request page) through the member's parts; call before {@link #start()}. */
    public KeelServer observe(Observability memberObservability) {
        this.observability = Objects.requireNonNull(memberObservability, "observability");
        return this;
    }

    /** Serves {@code metrics} (the member's) on /metrics; without it a standalone set is served. Before start. */
    public KeelServer withMetrics(MemberMetrics memberMetrics) {
        this.metrics = Objects.requireNonNull(memberMetrics, "memberMetrics");
        return this;
    }

    /**
     * Serves the admin console and its API (/ui, /api) for the member {@code memberId}; call
     * before {@link #start}. Without it the client port serves gRPC and etcd's HTTP endpoints only.
     */
    public KeelServer withConsole(long memberId, LongSupplier compactRevision) {
        this.consoleMemberId = memberId;
        this.compactRevision = Objects.requireNonNull(compactRevision, "compactRevision");
        return this;
    }

    /** As {@link #withConsole(long, LongSupplier)}, linking slow requests' trace ids to {@code jaegerUrl}. */
    public KeelServer withConsole(long memberId, LongSupplier compactRevision, String jaegerUrl) {
        this.consoleJaegerUrl = Objects.requireNonNull(jaegerUrl, "jaegerUrl");
        return withConsole(memberId, compactRevision);
    }

    /** Binds every client URL; completes once all listen. */
    public Future<KeelServer> start() {
        if (metrics == null) {
            metrics = MemberMetrics.standalone();
            ownsMetrics = true;
        }
        GrpcCallMetrics calls = new GrpcCallMetrics(metrics.etcd().grpc(), metrics.etcd().server());
        GrpcServer grpc = EtcdGrpcServer.create(vertx, backends, new EtcdGrpcServer.Limits(
                EtcdGrpcServer.DEFAULT_MAX_IN_FLIGHT, EtcdGrpcServer.DEFAULT_MAX_IN_FLIGHT,
                EtcdGrpcServer.DEFAULT_MAX_IN_FLIGHT, config.maxTxnOps(), config.maxReceiveMessageBytes()),
                observability, new StreamMessages(metrics.etcd().grpc()));
        MetricsEndpoint metricsEndpoint = new MetricsEndpoint(vertx, metrics);
        Consumer<Boolean> verdicts = healthy ->
                (healthy ? metrics.etcd().server().healthSuccess : metrics.etcd().server().healthFailures).inc();
        HttpEndpoints endpoints = new HttpEndpoints(backends.health(), metricsEndpoint, verdicts,
                compactRevision == null ? null : new AdminApi(vertx, backends, consoleMemberId, compactRevision,
                        consoleJaegerUrl));
        HttpEndpoints metricsOnly = new HttpEndpoints(backends.health(), metricsEndpoint, verdicts);
        Handler<HttpServerRequest> http = new SlowRequestsEndpoint(observability.steps(), endpoints);
        List<Future<Integer>> ports = new ArrayList<>();
        for (URI url : config.listenClientUrls()) {
            ClientListener listener = new ClientListener(vertx, url, grpc, http, observability.tracer(), calls);
            clientListeners.add(listener);
            ports.add(listener.start());
        }
        List<Future<Integer>> metricsPorts = new ArrayList<>();
        for (URI url : config.listenMetricsUrls()) {
            MetricsListener listener = new MetricsListener(vertx, url, metricsOnly);
            metricsListeners.add(listener);
            metricsPorts.add(listener.start());
        }
        List<Future<Integer>> peerPorts = config.listenPeerUrls().stream().map(peers::listen).toList();
        return Future.all(ports).compose(v -> Future.all(peerPorts)).compose(v -> Future.all(metricsPorts)).map(all -> {
            for (int i = 0; i < metricsPorts.size(); i++) {
                boundMetricsUrls.add(bound(metricsListeners.get(i).url(), metricsPorts.get(i).result()));
            }
            for (int i = 0; i < ports.size(); i++) {
                boundClientUrls.add(bound(clientListeners.get(i).url(), ports.get(i).result()));
            }
            for (int i = 0; i < peerPorts.size(); i++) {
                boundPeerUrls.add(bound(config.listenPeerUrls().get(i), peerPorts.get(i).result()));
            }
            return this;
        });
    }

    private static URI bound(URI url, int port) {
        return URI.create(url.getScheme() + "://" + url.getHost() + ":" + port);
    }

    /** The peer URLs as bound. */
    public List<URI> boundPeerUrls() {
        return List.copyOf(boundPeerUrls);
    }

    /** Where the Raft node sends its messages (and adds or removes peers on membership changes). */
    public PeerTransport peerTransport() {
        return peers;
    }

    /** The {@code --listen-metrics-urls} as bound. */
    public List<URI> boundMetricsUrls() {
        return List.copyOf(boundMetricsUrls);
    }

    /** The client URLs as bound (a port 0 in the flags is replaced by the port the OS chose). */
    public List<URI> boundClientUrls() {
        return List.copyOf(boundClientUrls);
    }

    public Future<Void> stop() {
        List<Future<Void>> stops = new ArrayList<>(clientListeners.stream().map(ClientListener::stop).toList());
        metricsListeners.forEach(l -> stops.add(l.stop()));
        if (ownsMetrics) {
            metrics.close();
        }
        if (ownsPeers) {
            stops.add(peers.stop());
        }
        return Future.join(stops).mapEmpty();
    }
}
