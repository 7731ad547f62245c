package io.keel.backend;

import io.keel.api.etcdserverpb.AlarmRequest;
import io.keel.api.etcdserverpb.AlarmType;
import io.keel.api.etcdserverpb.Member;
import io.keel.backend.corrupt.GrpcPeerHashes;
import io.keel.server.corrupt.CorruptionChecker;
import io.keel.server.corrupt.CorruptionMonitor;
import io.keel.server.corrupt.DataInconsistencyException;
import io.keel.api.internal.v1.InternalRequest;
import io.keel.api.internal.v1.MemberAttributes;
import io.keel.backend.grpc.GrpcLeaseForwarder;
import io.keel.backend.peer.EntryTraceCarrier;
import io.keel.backend.memory.IdleNativeTrim;
import io.keel.backend.memory.OldGenGovernor;
import io.keel.backend.metrics.LeaderChanges;
import io.keel.backend.metrics.MemberGaugesOf;
import io.keel.backend.metrics.MemberMetrics;
import io.keel.backend.metrics.ServerEventCounts;
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
import io.keel.server.apply.ApplyObservation;
import io.keel.server.apply.ApplyResult;
import io.keel.server.cluster.RaftClusterBackend;
import io.keel.server.config.ClusterState;
import io.keel.server.config.ServerConfig;
import io.keel.server.health.RaftHealthProbe;
import io.keel.server.kv.RaftKvBackend;
import io.keel.server.lease.LeaseKeeper;
import io.keel.server.lease.LeaseStore;
import io.keel.server.lease.Lessor;
import io.keel.server.lease.RaftLeaseBackend;
import io.keel.server.learner.LearnerGate;
import io.keel.server.lifecycle.LeadershipHandOff;
import io.keel.server.maintenance.RaftMaintenanceBackend;
import io.keel.server.membership.InitialMembers;
import io.keel.server.membership.InitialMembership;
import io.keel.server.membership.MemberStore;
import io.keel.server.observe.Observability;
import io.keel.server.raftnode.RaftNode;
import io.keel.server.raftnode.RaftNodeConfig;
import io.keel.server.raftnode.RaftStateLog;
import io.keel.server.request.Proposer;
import io.keel.server.request.ResponseHeaders;
import io.keel.server.wait.RequestIdGenerator;
import io.keel.server.wait.WaitRegistry;
import io.keel.server.watch.WatchHub;
import io.keel.server.watch.WatchHubConfig;
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
import java.util.Optional;
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
    private final LeaseKeeper leaseKeeper;
    private final GrpcLeaseForwarder leaseForwarder;
    private final WatchHub watchHub;
    private final Set<Long> peers = new HashSet<>();
    private final GrpcPeerHashes peerHashes;
    private final CorruptionChecker corruption;
    private CorruptionMonitor corruptionMonitor;
    private final MemberMetrics metrics;

    private KeelMember(Vertx vertx, ServerConfig config, Observability observability, Consumer<Throwable> onFatal,
                       StartupPhases phases) {
        this.config = config;
        InitialMembership initial = InitialMembership.of(config);
        RaftLogConfig logConfig = RaftLogConfig.defaults(config.dataDir());
        this.log = DurableRaftStorage.open(logConfig);
        phases.done("raft log opened");
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
                MemberStore.bucketsWith(AlarmStore.BUCKET, LeaseStore.BUCKET))
                .withQuota(config.effectiveQuotaBackendBytes()));
        phases.done("backend opened");
        MemberStore members = MemberStore.load(store);
        InitialMembers initialMembers = join.initialMembers();
        AlarmStore alarms = AlarmStore.load(store);
        WaitRegistry<ApplyResult> wait = new WaitRegistry<>(MAX_PENDING_REQUESTS);
        this.transport = new PeerTransport(vertx, PeerTransportConfig.defaults(memberId, clusterId),
                m -> nodeRef().step(m), new NodeStatusListener());
        transport.traceWith(new EntryTraceCarrier(observability.entries()));
        long electionTicks = Math.max(2, config.electionTimeoutMs() / config.heartbeatIntervalMs());
        Lessor lessor = new Lessor(System::nanoTime, Lessor.minTtlSeconds(electionTicks, config.heartbeatIntervalMs()));
        lessor.reload(store);
        phases.done("lessor recovered");
        ApplyObservation applyObservation = new ApplyObservation(observability.entries(), observability.applyWarnings());
        Applier applier = new Applier(store, members, alarms, lessor, wait, initialMembers, this::followMembers)
                .observe(applyObservation).batching(config.backendBatchInterval(), config.backendBatchLimit());
        RaftConfig raft = RaftConfig.defaults(memberId).withTicks((int) electionTicks, 1)
                .withPreVote(config.preVote());
        RaftNodeConfig nodeConfig = RaftNodeConfig.defaults(raft).withTickMillis(config.heartbeatIntervalMs())
                .withSnapshotCount(config.snapshotCount(), Math.min(SNAPSHOT_CATCH_UP_ENTRIES, config.snapshotCount()))
                .withInitialElectionTickAdvance(config.initialElectionTickAdvance());
        List<Long> bootstrap = fresh && config.initialClusterState() == ClusterState.NEW
                ? initialMembers.ids() : List.of();
        this.node = new RaftNode(nodeConfig, log, applier, transport::send,
                new SplittableRandom(new SecureRandom().nextLong()), bootstrap, onFatal);
        node.observeReadys(observability.entries());
        node.addStateListener(phases.firstLeader());
        node.addStateListener(new RaftStateLog());
        phases.done("raft node restored");
        this.proposer = new Proposer(node, wait, new RequestIdGenerator(memberId, System.currentTimeMillis()),
                config.maxRequestBytes(), timeoutMillis, observability.entries());
        this.peerHashes = new GrpcPeerHashes(vertx, memberId, members::list, timeoutMillis);
        this.corruption = new CorruptionChecker(memberId, store, peerHashes, () -> node.state().isLeader(),
                id -> proposer.propose(InternalRequest.newBuilder().setAlarm(AlarmRequest.newBuilder()
                        .setAction(AlarmRequest.AlarmAction.ACTIVATE).setAlarm(AlarmType.CORRUPT).setMemberID(id))),
                timeoutMillis);
        this.metrics = new MemberMetrics(new MemberGaugesOf(memberId, node, store, wait, members,
                config.effectiveQuotaBackendBytes()));
        wireMetrics();
        ResponseHeaders headers = new ResponseHeaders(clusterId, memberId, node);
        this.watchHub = new WatchHub(store, headers::at, WatchHubConfig.defaults()
                .withProgressNotifyIntervalMillis(config.watchProgressNotifyInterval().toMillis())
                .withMaxRequestBytes(config.maxRequestBytes()), System::nanoTime, new SecureRandom().nextLong());
        applier.setCommitListener(watchHub::committed);
        // etcd's watch, lease and slow-apply metrics (the hooks are no-ops until set).
        watchHub.setObserver(metrics.etcd().watchLease());
        lessor.setObserver(metrics.etcd().watchLease());
        applyObservation.onSlowApply(metrics.etcd().server().slowApply::inc);
        node.setReadIndexListener(new ServerEventCounts(metrics.etcd().server()));
        int cores = Runtime.getRuntime().availableProcessors();
        this.readers = new ThreadPoolExecutor(cores, cores * 2, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_PENDING_REQUESTS), named("keel-read-"),
                new ThreadPoolExecutor.AbortPolicy());
        this.timers = Executors.newSingleThreadScheduledExecutor(named("keel-timer-"));
        this.leaseKeeper = new LeaseKeeper(node, lessor, proposer,
                TimeUnit.MILLISECONDS.toNanos(config.electionTimeoutMs()), config.leaseCheckpointInterval().toMillis());
        this.leaseForwarder = new GrpcLeaseForwarder(vertx, timeoutMillis);
        RaftClusterBackend cluster = new RaftClusterBackend(node, store, members, proposer, headers,
                config.initialClusterToken(), Clock.systemUTC(), peerClient);
        cluster.setPromoteListener(new ServerEventCounts(metrics.etcd().server()));
        transport.httpHandler(new PeerClusterEndpoints(members, clusterId, cluster));
        long self = memberId;
        // Until the membership arrives by snapshot or log, a member that just joined knows what it
        // is from the cluster it fetched (etcd's joining member starts from that cluster too).
        boolean joinedAsLearner = join.joinedMembers().stream().anyMatch(m -> m.getID() == self && m.getIsLearner());
        // etcd's learner restrictions sit in front of every back end (server.learner).
        this.backends = new LearnerGate(() -> {
            Member m = members.get(self);
            return m != null ? m.getIsLearner() : joinedAsLearner;
        }).wrap(ServerBackends.unwired()
                .withKv(new RaftKvBackend(node, store, proposer, headers, readers))
                .withCluster(cluster)
                .withMaintenance(new RaftMaintenanceBackend(node, store, members, alarms, proposer, headers, readers,
                        config.dataDir().resolve("member").resolve("tmp")))
                .withHealth(new RaftHealthProbe(node, store, alarms, members, memberId, readers, timeoutMillis))
                .withLease(new RaftLeaseBackend(node, store, lessor, leaseKeeper, proposer, headers, members,
                        leaseForwarder, new RequestIdGenerator(memberId, System.currentTimeMillis())))
                .withWatch(watchHub));
        List<Member> known = members.list();
        if (known.isEmpty() && !join.joinedMembers().isEmpty()) {
            join.joinedMembers().forEach(this::addPeer);
        } else if (known.isEmpty()) {
            initialMembers.byId().values().forEach(this::addPeer);
        } else {
            known.forEach(this::addPeer);
        }
        phases.done("member wired");
    }

    /** Storage, transport, Raft and proposals record into the member's metrics through small hooks. */
    private void wireMetrics() {
        log.setObserver(metrics.etcd().storage());
        store.setObserver(metrics.etcd().storage());
        transport.setTrafficObserver(metrics.peers());
        node.addStateListener(new LeaderChanges(metrics.etcd().server().leaderChanges));
        proposer.setFailureListener(metrics.etcd().server().proposalsFailed::inc);
    }

    /** This member's metrics, served on /metrics by the {@link KeelServer} given them. */
    public MemberMetrics metrics() {
        return metrics;
    }

    /** Opens the data dir; {@code onFatal} is told if the member must stop (a failed fsync, say). */
    public static KeelMember open(Vertx vertx, ServerConfig config, Consumer<Throwable> onFatal) {
        return open(vertx, config, Observability.defaults(), onFatal);
    }

    /** {@link #open(Vertx, ServerConfig, Consumer)} recording spans and slow applies through {@code observability}. */
    public static KeelMember open(Vertx vertx, ServerConfig config, Observability observability,
                                  Consumer<Throwable> onFatal) {
        return open(vertx, config, observability, onFatal, new StartupPhases());
    }

    /** {@link #open(Vertx, ServerConfig, Observability, Consumer)} logging each start phase's time through {@code phases}. */
    static KeelMember open(Vertx vertx, ServerConfig config, Observability observability,
                           Consumer<Throwable> onFatal, StartupPhases phases) {
        return new KeelMember(vertx, config, observability, onFatal, phases);
    }

    /**
     * Starts Raft and publishes this member's name and client URLs. The {@link KeelServer} given
     * {@link #peerTransport()} makes the transport listen.
     */
    public void start() {
        watchHub.start();
        node.start();
        leaseKeeper.start(timers);
        timers.scheduleAtFixedRate(proposer::expireOverdue, Proposer.EXPIRY_SWEEP_MILLIS,
                Proposer.EXPIRY_SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        publishAttributes();
        // Applied entries cover writes a follower replicates; gRPC messages cover reads and watches.
        Optional<OldGenGovernor> oldGen = OldGenGovernor.start(timers, node::applyBusyNanos);
        IdleNativeTrim.start(timers, () -> node.applied().applied() + metrics.etcd().grpc().messages(),
                () -> oldGen.ifPresent(OldGenGovernor::settleWhenIdle));
        if (!config.corruptCheckTime().isZero()) {
            corruptionMonitor = CorruptionMonitor.start(corruption, config.corruptCheckTime());
        }
    }

    /**
     * etcd's {@code --experimental-initial-corrupt-check}: compares this member's HashKV with the
     * peers' before it serves; throws if they hold other data at its revision.
     */
    public void initialCorruptCheck() throws DataInconsistencyException {
        corruption.initialCheck();
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

    /** The revision the store is compacted to (the console shows it); any thread. */
    public long compactRevision() {
        return store.compactRevision();
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
            metrics.peers().addPeer(m.getID());
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
        if (corruptionMonitor != null) {
            corruptionMonitor.close();
        }
        peerHashes.close();
        node.close();
        leaseForwarder.close();
        watchHub.close();
        transport.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        readers.shutdown();
        readers.awaitTermination(10, TimeUnit.SECONDS);
        store.close();
        log.close();
        metrics.close();
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

        @Override
        public void active(long peerId) {
            node.peerActive(peerId);
        }
    }
}
