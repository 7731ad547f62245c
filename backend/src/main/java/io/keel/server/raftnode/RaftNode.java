package io.keel.server.raftnode;

import io.keel.storage.raftlog.RaftLogStore;

import io.keel.raft.ConfChange;
import io.keel.raft.Message;
import io.keel.raft.RaftStatus;
import io.keel.raft.RawNode;
import io.keel.raft.Snapshot;
import io.keel.raft.SnapshotStatus;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One Raft member running on threads of its own: the Raft thread owns the {@link RawNode} and the
 * log ({@link RaftLoop}); the apply thread applies committed entries in order ({@link ApplyWorker}).
 * Everything else talks to them through a bounded input queue and futures.
 *
 * <p>Thread-safe: every public method may be called from any thread, event loops included; none
 * blocks. Futures complete on the Raft or apply thread, so callers must move their continuation
 * to their own executor or event loop.
 */
public final class RaftNode implements AutoCloseable {
    private final RaftNodeConfig config;
    private final BlockingQueue<NodeInput> inputs;
    private final BlockingQueue<ApplyTask> applyTasks = new LinkedBlockingQueue<>();
    private final AppliedIndexWaiter applied;
    private final RaftLoop loop;
    private final ApplyWorker applyWorker;
    private final Thread raftThread;
    private final Thread applyThread;

    /**
     * @param bootstrapVoters for a brand-new cluster, the ids of its initial voters; empty when the
     *                        member restarts or joins an existing cluster
     * @param onFatal         called once if the Raft or apply thread fails (a failed fsync, a
     *                        corrupt log): the server must stop the member
     */
    public RaftNode(RaftNodeConfig config, RaftLogStore log, StateMachine stateMachine, PeerSender sender,
                    RandomGenerator random, List<Long> bootstrapVoters, Consumer<Throwable> onFatal) {
        this.config = config.validate();
        this.inputs = new ArrayBlockingQueue<>(config.maxPendingInputs());
        this.applied = new AppliedIndexWaiter(stateMachine.appliedIndex());
        // Raft resumes after what the store already holds; the conf changes before that are
        // re-applied here (RestartPoint), not re-delivered with every other entry.
        long restartApplied = RestartPoint.appliedIndex(log, stateMachine.appliedIndex());
        RawNode raw = new RawNode(config.raft().withApplied(restartApplied), log, random);
        io.keel.raft.ConfState restartConf = RestartPoint.reapplyConfChanges(raw, log, restartApplied,
                stateMachine::confChangeRefused);
        if (!bootstrapVoters.isEmpty() && log.lastIndex() == 0 && log.initialState().hardState().isEmpty()) {
            raw.bootstrap(bootstrapVoters);
        }
        Consumer<Throwable> fatal = t -> {
            applied.failAll(new NodeStoppedException());
            onFatal.accept(t);
        };
        this.loop = new RaftLoop(raw, log, sender, inputs, applyTasks, applied, config, fatal);
        loop.restoredConfState(restartConf);
        this.applyWorker = new ApplyWorker(applyTasks, stateMachine, applied, config.snapshotCount(),
                log.snapshotMetadata().index(), this::enqueueSnapshot, sender, fatal);
        applyWorker.resumeAt(restartApplied, restartApplied > 0 ? log.term(restartApplied) : 0, restartConf,
                peer -> reportSnapshot(peer, io.keel.raft.SnapshotStatus.FAILURE));
        // Only the metadata unless a restore is due: the data is as large as the store.
        long storedIndex = log.snapshotMetadata().index();
        Snapshot stored = storedIndex > 0 && storedIndex > stateMachine.appliedIndex() ? log.snapshot() : Snapshot.EMPTY;
        if (!stored.isEmpty() && stored.data().length > 0) {
            // The member stopped after a leader's snapshot was made durable in the log (which then
            // starts after it) but before the store was restored from it: restore first, or the
            // entries after the snapshot would be applied to a store that lacks the ones before.
            applyTasks.add(new ApplyTask.Restore(stored));
        }
        long id = config.raft().id();
        this.raftThread = new Thread(loop, "keel-raft-" + Long.toHexString(id));
        this.applyThread = new Thread(applyWorker, "keel-apply-" + Long.toHexString(id));
    }

    /** Lets {@code observer} watch the Readys (for tracing); call before {@link #start()}. */
    public void observeReadys(ReadyObserver observer) {
        loop.observe(observer);
    }

    /** Reports slow and failed read indexes to {@code listener} (etcd's read index metrics). */
    public void setReadIndexListener(ReadIndexListener listener) {
        loop.reads().listener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** A caller gave up waiting for a read index (its request timed out): etcd counts it slow. */
    public void readIndexTimedOut() {
        loop.reads().listener.slow();
    }

    public void start() {
        applyThread.start();
        raftThread.start();
    }

    /** Completes once the entry is in the leader's log; its result comes from applying it. */
    public CompletableFuture<Void> propose(byte[] data) {
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        offerOrFail(new NodeInput.Propose(data, accepted), accepted);
        return accepted;
    }

    public CompletableFuture<Void> proposeConfChange(ConfChange change) {
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        offerOrFail(new NodeInput.ProposeConfChange(change, accepted), accepted);
        return accepted;
    }

    /** Completes with a read index once leadership has been confirmed by a quorum. */
    public CompletableFuture<Long> readIndex() {
        CompletableFuture<Long> index = new CompletableFuture<>();
        if (!inputs.offer(new NodeInput.Read(index))) {
            loop.reads().listener.failed();
            index.completeExceptionally(new NodeBusyException("etcdserver: too many requests"));
        }
        return index;
    }

    /**
     * Completes once this member has applied everything committed before the call: after it, a
     * local read is linearizable.
     */
    public CompletableFuture<Long> linearizableBarrier() {
        return readIndex().thenCompose(applied::waitFor);
    }

    /** Hands a message from a peer to Raft; dropped when the queue is full (Raft tolerates loss). */
    public void step(Message message) {
        inputs.offer(new NodeInput.Step(message));
    }

    public void transferLeader(long transferee) {
        inputs.offer(new NodeInput.TransferLeader(transferee));
    }

    public void campaign() {
        inputs.offer(new NodeInput.Campaign());
    }

    /** The transport's connection to {@code peerId} stands: a starting member may advance its election clock. */
    public void peerActive(long peerId) {
        inputs.offer(new NodeInput.PeerActive(peerId));
    }

    public void reportUnreachable(long peerId) {
        inputs.offer(new NodeInput.ReportUnreachable(peerId));
    }

    public void reportSnapshot(long peerId, SnapshotStatus status) {
        inputs.offer(new NodeInput.ReportSnapshot(peerId, status));
    }

    /**
     * The full Raft status, taken on the Raft thread after every input offered before this call
     * has been handled and the Readys it produced have been processed.
     */
    public CompletableFuture<RaftStatus> status() {
        CompletableFuture<RaftStatus> status = new CompletableFuture<>();
        offerOrFail(new NodeInput.Status(status), status);
        return status;
    }

    /** The state published after the Raft thread's latest iteration; cheap, never blocks. */
    public NodeState state() {
        return loop.state();
    }

    /**
     * Calls {@code listener} on the Raft thread whenever the leader, role or term changes. It must
     * return at once (hand work elsewhere).
     */
    public void addStateListener(Consumer<NodeState> listener) {
        loop.addListener(listener);
    }

    /** Completes when {@code leaderId} is the leader this member knows of. */
    public CompletableFuture<NodeState> awaitLeader(long leaderId) {
        CompletableFuture<NodeState> f = new CompletableFuture<>();
        addStateListener(s -> {
            if (s.leaderId() == leaderId) {
                f.complete(s);
            }
        });
        if (state().leaderId() == leaderId) {
            f.complete(state());
        }
        return f;
    }

    public AppliedIndexWaiter applied() {
        return applied;
    }

    /**
     * How long the apply thread has been applying its current batch (a transaction deleting a
     * million keys takes seconds); 0 while it waits for work. Any thread.
     */
    public long applyBusyNanos() {
        return applyWorker.busyNanos();
    }

    public RaftNodeConfig config() {
        return config;
    }

    /** Stops the Raft thread, then lets the apply thread finish what was committed. */
    @Override
    public void close() throws InterruptedException {
        loop.stop();
        raftThread.join();
        applyTasks.put(new ApplyTask.Stop());
        applyThread.join();
        applied.failAll(new NodeStoppedException());
    }

    private void enqueueSnapshot(NodeInput.TakeSnapshot request) {
        // Dropping a snapshot request when the queue is full is harmless: the log just grows until the
        // apply thread asks again, snapshotCount entries later.
        inputs.offer(request);
    }

    private void offerOrFail(NodeInput input, CompletableFuture<?> future) {
        if (!inputs.offer(input)) {
            future.completeExceptionally(new NodeBusyException("etcdserver: too many requests"));
        }
    }
}
