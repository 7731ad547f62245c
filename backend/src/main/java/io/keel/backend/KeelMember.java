package io.keel.backend;

import io.keel.api.etcdserverpb.Member;
import io.keel.api.internal.v1.InternalRequest;
import io.keel.api.internal.v1.MemberAttributes;
import io.keel.backend.cluster.MemberJoin;
import io.keel.backend.cluster.PeerClusterClient;
import io.keel.backend.cluster.PeerClusterEndpoints;
import io.keel.backend.peer.PeerStatusListener;
import io.keel.backend.peer.PeerTransport;
import io.keel.backend.peer.PeerTransportConfig;
import io.keel.raft.RaftConfig;
import io.keel.raft.SnapshotStatus;
import io.keel.server.ServerBackends;
import io.keel.server.alarm.AlarmStore;
import io.keel.server.apply.Applier;
import io.keel.server.apply.ApplyResult;
import io.keel.server.cluster.RaftClusterBackend;
import io.keel.server.config.ClusterState;
import io.keel.server.config.ServerConfig;
import io.keel.server.health.RaftHealthProbe;
import io.keel.server.kv.RaftKvBackend;
import io.keel.server.lifecycle.LeadershipHandOff;
import io.keel.server.maintenance.RaftMaintenanceBackend;
import io.keel.server.membership.InitialMembers;
import io.keel.server.membership.InitialMembership;
import io.keel.server.membership.MemberStore;
import io.keel.server.raftnode.RaftNode;
import io.keel.server.raftnode.RaftNodeConfig;
import io.keel.server.request.Proposer;
import io.keel.server.request.ResponseHeaders;
import io.keel.server.wait.RequestIdGenerator;
import io.keel.server.wait.WaitRegistry;
import io.keel.storage.mvcc.MvccConfig;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.raftlog.DurableRaftStorage;
import io.keel.storage.raftlog.RaftLogConfig;
import io.vertx.core.Vertx;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One Keel member's core: its data dir (Chronicle Raft log plus LMDB MVCC store), the Raft node,
 * the applier, the peer transport, and the back ends the gRPC server serves. {@link #open} and
 * {@link #close} are called from one thread (main or shutdown hook); everything else runs on the
 * threads the parts own.
 */
public final class KeelMember implements AutoCloseable {
    /** etcd keeps this many entries behind a snapshot for slow followers. */
    static final long SNAPSHOT_CATCH_UP_ENTRIES = 5_000;
    private static final int MAX_PENDING_REQUESTS = 10_000;
    private static final long PUBLISH_RETRY_MILLIS = 500;

    private final ServerConfig config;
    private final long memberId;
    private final long clusterId;
    private final DurableRaftStorage log;
    private final MvccStore store;
    private final RaftNode node;
    private final PeerTransport transport;
    private final Proposer proposer;
    private final ExecutorService readers;
    private final ScheduledExecutorService timers;
    private final ServerBackends backends;
    private final Set<Long> peers = new HashSet<>();

    private KeelMember(Vertx vertx, ServerConfig config, Consumer<Throwable> onFatal) {
        this.config = config;
        InitialMembership initial = InitialMembership.of(config);
        RaftLogConfig logConfig = RaftLogConfig.defaults(config.dataDir());
        this.log = DurableRaftStorage.open(logConfig);
        boolean fresh = log.lastIndex() == 0 && log.initialState().hardState().isEmpty();
        // etcd's request timeout: 5 s plus two election timeouts.
        long timeoutMillis = 5_000 + 2 * config.electionTimeoutMs();
        PeerClusterClient peerClient = new PeerClusterClient(java.time.Duration.ofMillis(timeoutMillis));
        MemberJoin join;
        try {
            join = MemberJoin.resolve(config, initial, fresh, peerClient);
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
        this.memberId = join.memberId();
        this.clusterId = join.clusterId();
        this.store = MvccStore.open(MvccConfig.defaults(logConfig.snapDir().resolve("db"),
                List.of(MemberStore.BUCKET, MemberStore.REMOVED_BUCKET, AlarmStore.BUCKET))
                .withQuota(config.effectiveQuotaBackendBytes()));
        MemberStore members = MemberStore.load(store);
        InitialMembers initialMembers = join.initialMembers();
        AlarmStore alarms = AlarmStore.load(store);
        WaitRegistry<ApplyResult> wait = new WaitRegistry<>(MAX_PENDING_REQUESTS);
        this.transport = new PeerTransport(vertx, PeerTransportConfig.defaults(memberId, clusterId),
                m -> nodeRef().step(m), new NodeStatusListener());
        Applier applier = new Applier(store, members, alarms, wait, initialMembers, this::followMembers);
        long electionTicks = Math.max(2, config.electionTimeoutMs() / config.heartbeatIntervalMs());
        RaftConfig raft = RaftConfig.defaults(memberId).withTicks((int) electionTicks, 1)
                .withPreVote(config.preVote());
        RaftNodeConfig nodeConfig = RaftNodeConfig.defaults(raft).withTickMillis(config.heartbeatIntervalMs())
                .withSnapshotCount(config.snapshotCount(), Math.min(SNAPSHOT_CATCH_UP_ENTRIES, config.snapshotCount()))
                .withInitialElectionTickAdvance(config.initialElectionTickAdvance());
        List<Long> bootstrap = fresh && config.initialClusterState() == ClusterState.NEW
                ? initialMembers.ids() : List.of();
        this.node = new RaftNode(nodeConfig, log, applier, transport::send,
                new SplittableRandom(new SecureRandom().nextLong()), bootstrap, onFatal);
        this.proposer = new Proposer(node, wait, new RequestIdGenerator(memberId, System.currentTimeMillis()),
                config.maxRequestBytes(), timeoutMillis);
        ResponseHeaders headers = new ResponseHeaders(clusterId, memberId, node);
        int cores = Runtime.getRuntime().availableProcessors();
        this.readers = new ThreadPoolExecutor(cores, cores * 2, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_PENDING_REQUESTS), named("keel-read-"),
                new ThreadPoolExecutor.AbortPolicy());
        this.timers = Executors.newSingleThreadScheduledExecutor(named("keel-timer-"));
        RaftClusterBackend cluster = new RaftClusterBackend(node, store, members, proposer, headers,
                config.initialClusterToken(), Clock.systemUTC(), peerClient);
        transport.httpHandler(new PeerClusterEndpoints(members, clusterId, cluster));
        this.backends = ServerBackends.unwired()
                .withKv(new RaftKvBackend(node, store, proposer, headers, readers))
                .withCluster(cluster)
                .withMaintenance(new RaftMaintenanceBackend(node, store, members, alarms, proposer, headers, readers,
                        config.dataDir().resolve("member").resolve("tmp")))
                .withHealth(new RaftHealthProbe(node, store, alarms, members, memberId, readers, timeoutMillis));
        List<Member> known = members.list();
        if (known.isEmpty() && !join.joinedMembers().isEmpty()) {
            join.joinedMembers().forEach(this::addPeer);
        } else if (known.isEmpty()) {
            initialMembers.byId().values().forEach(this::addPeer);
        } else {
            known.forEach(this::addPeer);
        }
    }

    /** Opens the data dir; {@code onFatal} is told if the member must stop (a failed fsync, say). */
    public static KeelMember open(Vertx vertx, ServerConfig config, Consumer<Throwable> onFatal) {
        return new KeelMember(vertx, config, onFatal);
    }

    /**
     * Starts Raft and publishes this member's name and client URLs. The {@link KeelServer} given
     * {@link #peerTransport()} makes the transport listen.
     */
    public void start() {
        node.start();
        publishAttributes();
    }

    /** The member's peer transport (owned and stopped by this member). */
    public PeerTransport peerTransport() {
        return transport;
    }

    public ServerBackends backends() {
        return backends;
    }

    public long memberId() {
        return memberId;
    }

    public long clusterId() {
        return clusterId;
    }

    /**
     * The first step of a graceful stop: a leader hands leadership to its most caught-up voter
     * and waits (bounded by the request timeout) until that member leads. Blocks the caller.
     */
    public LeadershipHandOff.Outcome handOffLeadership() throws InterruptedException {
        return LeadershipHandOff.run(node, proposer.timeoutMillis());
    }

    /** As etcd, announce name and client URLs through Raft; retried until it commits. */
    private void publishAttributes() {
        MemberAttributes attrs = MemberAttributes.newBuilder().setMemberId(memberId).setName(config.name())
                .addAllClientUrls(config.advertiseClientUrls().stream().map(URI::toString).toList()).build();
        proposer.propose(InternalRequest.newBuilder().setMemberAttributes(attrs)).whenComplete((r, err) -> {
            if (err != null && !timers.isShutdown()) {
                timers.schedule(this::publishAttributes, PUBLISH_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** The transport follows the member list (apply thread). */
    private synchronized void followMembers(List<Member> now) {
        Set<Long> current = new HashSet<>();
        for (Member m : now) {
            current.add(m.getID());
            addPeer(m);
        }
        for (Long id : Set.copyOf(peers)) {
            if (!current.contains(id)) {
                transport.removePeer(id);
                peers.remove(id);
            }
        }
    }

    private synchronized void addPeer(Member m) {
        if (m.getID() != memberId && m.getPeerURLsCount() > 0 && peers.add(m.getID())) {
            transport.addPeer(m.getID(), URI.create(m.getPeerURLs(0)));
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private RaftNode nodeRef() {
        return node;
    }

    /** Stops Raft first (no new entries), then the transport, then closes the stores. */
    @Override
    public void close() throws Exception {
        timers.shutdownNow();
        node.close();
        transport.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        readers.shutdown();
        readers.awaitTermination(10, TimeUnit.SECONDS);
        store.close();
        log.close();
    }

    private final class NodeStatusListener implements PeerStatusListener {
        @Override
        public void unreachable(long peerId) {
            node.reportUnreachable(peerId);
        }

        @Override
        public void snapshotStatus(long peerId, boolean ok) {
            node.reportSnapshot(peerId, ok ? SnapshotStatus.FINISH : SnapshotStatus.FAILURE);
        }
    }
}
