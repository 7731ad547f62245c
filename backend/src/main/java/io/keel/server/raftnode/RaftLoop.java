package io.keel.server.raftnode;

import io.keel.storage.raftlog.RaftLogStore;

import io.keel.raft.ConfChange;
import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.EntryType;
import io.keel.raft.HardState;
import io.keel.raft.ProposalDroppedException;
import io.keel.raft.RawNode;
import io.keel.raft.Ready;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Raft thread's body: the only code that touches the {@link RawNode} and writes the
 * {@link RaftLogStore}. Each iteration drains inputs, ticks when a tick is due, then hands out
 * every Ready in the order the contract fixes: persist (one barrier), send, queue committed entries
 * for the apply thread (applying each conf change to Raft once the apply thread has accepted it),
 * advance.
 *
 * <p>Confined to the Raft thread; publishes {@link NodeState} through a volatile field.
 */
final class RaftLoop implements Runnable {
    private static final int MAX_INPUTS_PER_ITERATION = 1024;
    /** Proposals held while no leader is known (etcd stops taking proposals then, rather than failing them). */
    private final java.util.ArrayDeque<NodeInput.Propose> held = new java.util.ArrayDeque<>();
    /** Status requests answered after this iteration's Readys, so they reflect every input before them. */
    private final java.util.List<NodeInput.Status> statusRequests = new java.util.ArrayList<>();

    private final RawNode node;
    private final RaftLogStore log;
    private final PeerSender sender;
    private final BlockingQueue<NodeInput> inputs;
    private final BlockingQueue<ApplyTask> applyTasks;
    private final AppliedIndexWaiter applied;
    private final RaftNodeConfig config;
    private final ReadIndexBatcher reads;
    private final ElectionTickAdvance tickAdvance;
    private final Consumer<Throwable> onFatal;
    private final long id;
    private ConfState confState;
    private long commit;
    /** Last index queued for the apply thread: committed minus applied is measured against it. */
    private long handedToApply;
    private volatile NodeState published;
    private final java.util.List<Consumer<NodeState>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stopped;
    private volatile ReadyObserver observer = ReadyObserver.NONE;

    RaftLoop(RawNode node, RaftLogStore log, PeerSender sender, BlockingQueue<NodeInput> inputs,
             BlockingQueue<ApplyTask> applyTasks, AppliedIndexWaiter applied, RaftNodeConfig config,
             Consumer<Throwable> onFatal) {
        this.node = node;
        this.log = log;
        this.sender = sender;
        this.inputs = inputs;
        this.applyTasks = applyTasks;
        this.applied = applied;
        this.config = config;
        this.onFatal = onFatal;
        this.reads = new ReadIndexBatcher(config.raft().id(), config.readIndexRetryTicks());
        this.tickAdvance = new ElectionTickAdvance(config.initialElectionTickAdvance(), config.raft().electionTicks());
        this.id = config.raft().id();
        this.confState = log.initialState().confState();
        this.commit = log.initialState().hardState().commit();
        this.published = new NodeState(id, 0, io.keel.raft.StateRole.FOLLOWER,
                log.initialState().hardState().term(), commit, log.lastIndex());
    }

    NodeState state() {
        return published;
    }

    /** The configuration after the conf changes re-applied at restart ({@link RestartPoint}); before start. */
    void restoredConfState(ConfState restored) {
        this.confState = restored;
    }

    /** Called on the Raft thread whenever the leader, role or term changes; must not block. */
    void addListener(Consumer<NodeState> listener) {
        listeners.add(listener);
    }

    /** Set before the Raft thread starts (thread start orders the write). */
    void observe(ReadyObserver readyObserver) {
        this.observer = readyObserver;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        long tickNanos = TimeUnit.MILLISECONDS.toNanos(config.tickMillis());
        long nextTick = System.nanoTime() + tickNanos;
        advance(tickAdvance.atStart(node.status().confState().voters().size()));
        try {
            while (!stopped) {
                long wait = nextTick - System.nanoTime();
                NodeInput first = wait > 0 ? inputs.poll(wait, TimeUnit.NANOSECONDS) : inputs.poll();
                if (first != null) {
                    handle(first);
                    for (int i = 0; i < MAX_INPUTS_PER_ITERATION; i++) {
                        NodeInput next = inputs.poll();
                        if (next == null) {
                            break;
                        }
                        handle(next);
                    }
                }
                long now = System.nanoTime();
                if (now - nextTick >= 0) {
                    node.tick();
                    reads.onTick(node);
                    // After a long pause tick once, not once per missed interval: a burst of ticks
                    // would fire elections that no real timeout justified.
                    nextTick = Math.max(nextTick + tickNanos, now);
                }
                reads.maybeIssue(node);
                while (node.hasReady()) {
                    processReady(node.ready());
                }
                if (!statusRequests.isEmpty()) {
                    var status = node.status();
                    statusRequests.forEach(r -> r.status().complete(status));
                    statusRequests.clear();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            onFatal.accept(t);
        } finally {
            reads.failAll(new NodeStoppedException());
            held.forEach(p -> p.accepted().completeExceptionally(new NodeStoppedException()));
            held.clear();
            statusRequests.forEach(r -> r.status().completeExceptionally(new NodeStoppedException()));
            statusRequests.clear();
            failPendingInputs();
        }
    }

    private void handle(NodeInput input) {
        if (input instanceof NodeInput.Step s) {
            step(s);
        } else if (input instanceof NodeInput.Propose p) {
            propose(p);
        } else if (input instanceof NodeInput.Read r) {
            reads.add(r.readIndex());
        } else if (input instanceof NodeInput.ProposeConfChange p) {
            try {
                node.proposeConfChange(p.change());
                p.accepted().complete(null);
            } catch (ProposalDroppedException e) {
                p.accepted().completeExceptionally(e);
            }
        } else if (input instanceof NodeInput.TransferLeader t) {
            node.transferLeader(t.transferee());
        } else if (input instanceof NodeInput.Campaign) {
            node.campaign();
        } else if (input instanceof NodeInput.PeerActive) {
            advance(tickAdvance.onPeerActive(node.status().softState().leaderId() != 0));
        } else if (input instanceof NodeInput.ReportUnreachable u) {
            node.reportUnreachable(u.peerId());
        } else if (input instanceof NodeInput.ReportSnapshot r) {
            node.reportSnapshot(r.peerId(), r.status());
        } else if (input instanceof NodeInput.TakeSnapshot t) {
            takeSnapshot(t);
        } else if (input instanceof NodeInput.Status st) {
            statusRequests.add(st);
        } else {
            throw new IllegalStateException("unhandled input " + input);
        }
    }

    private void advance(int electionTicks) {
        if (electionTicks > 0) {
            node.advanceElectionTicks(electionTicks);
        }
    }

    private void propose(NodeInput.Propose p) {
        if (published.leaderId() == 0) {
            // As etcd: with no leader the proposal waits (bounded) for one to be elected; the
            // caller's own timeout still applies.
            if (held.size() >= config.maxPendingInputs()) {
                p.accepted().completeExceptionally(new NodeBusyException("etcdserver: too many requests"));
            } else {
                held.add(p);
            }
            return;
        }
        if (handedToApply - applied.applied() > config.maxApplyLagEntries()) {
            p.accepted().completeExceptionally(new NodeBusyException("etcdserver: too many requests"));
            return;
        }
        try {
            node.propose(p.data());
            p.accepted().complete(null);
        } catch (ProposalDroppedException e) {
            p.accepted().completeExceptionally(e);
        }
    }

    private void step(NodeInput.Step s) {
        try {
            node.step(s.message());
        } catch (IllegalArgumentException e) {
            // A peer sent something Raft refuses (a local message type, an unknown sender's
            // response): drop it, as etcd does, rather than stop the member.
        }
    }

    private void takeSnapshot(NodeInput.TakeSnapshot s) {
        if (s.index() <= log.snapshotMetadata().index()) {
            return;
        }
        log.createSnapshot(s.index(), s.confState(), s.data());
        long compactTo = s.index() - config.snapshotCatchUpEntries();
        if (compactTo >= log.firstIndex()) {
            log.compact(compactTo);
        }
    }

    private void processReady(Ready rd) throws InterruptedException {
        if (!rd.snapshot().isEmpty()) {
            log.applySnapshot(rd.snapshot());
            confState = rd.snapshot().metadata().confState();
        }
        // A leader replicates while it writes its own copy (pipelining; see Ready): the follower's
        // fsync overlaps ours instead of following it.
        List<io.keel.raft.Message> early = rd.messagesBeforePersist();
        if (!early.isEmpty()) {
            sender.send(early);
        }
        ReadyObserver watch = observer;
        watch.persisting(rd.entries());
        log.save(rd.hardState(), rd.entries(), rd.mustSync());
        watch.persisted(rd.entries());
        if (rd.hardState() != null) {
            commit = rd.hardState().commit();
        }
        List<io.keel.raft.Message> late = rd.messagesAfterPersist();
        sender.send(MergedSnapshots.withoutSnapshots(late));
        reads.onReadStates(rd.readStates());
        if (!rd.snapshot().isEmpty()) {
            applyTasks.put(new ApplyTask.Restore(rd.snapshot()));
        }
        for (io.keel.raft.Message m : MergedSnapshots.snapshots(late)) {
            // Queued after the entries already handed over, so the apply thread builds the merged
            // snapshot from state at least as new as the stored one.
            applyTasks.put(new ApplyTask.SendSnapshot(m));
        }
        if (!rd.committedEntries().isEmpty()) {
            watch.committed(rd.committedEntries());
            handOver(rd.committedEntries());
            handedToApply = rd.committedEntries().get(rd.committedEntries().size() - 1).index();
        }
        node.advance(rd);
        publish(rd);
    }

    /**
     * Queues committed entries for the apply thread. Each conf change ends a batch of its own, and
     * Raft's configuration takes it only once the apply thread has checked it against the member
     * list as of that entry and not refused it (etcd's validation at apply; a refused change is a
     * no-op for Raft too). Meanwhile this thread waits, as etcd's raft loop waits for the apply of
     * a conf change: no message is stepped before the configuration is settled, so votes from
     * removed members are never counted.
     */
    private void handOver(List<Entry> committed) throws InterruptedException {
        int from = 0;
        for (int i = 0; i < committed.size(); i++) {
            Entry e = committed.get(i);
            if (e.type() != EntryType.CONF_CHANGE) {
                continue;
            }
            CompletableFuture<Boolean> accepted = new CompletableFuture<>();
            applyTasks.put(new ApplyTask.ConfChangeEntries(committed.subList(from, i + 1), accepted));
            if (awaitVerdict(accepted)) {
                confState = node.applyConfChange(ConfChange.decode(e.data()));
            }
            applyTasks.put(new ApplyTask.Configured(e.index(), confState));
            from = i + 1;
        }
        if (from < committed.size()) {
            applyTasks.put(new ApplyTask.Entries(committed.subList(from, committed.size()), confState));
        }
    }

    /** The apply thread's verdict; gives up only when the node stops (the apply thread may have failed). */
    private boolean awaitVerdict(CompletableFuture<Boolean> accepted) throws InterruptedException {
        while (true) {
            try {
                return accepted.get(config.tickMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (stopped) {
                    throw new InterruptedException("stopped while a conf change was being applied");
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException("conf change verdict failed", e.getCause());
            }
        }
    }

    private void publish(Ready rd) {
        NodeState old = published;
        long leader = rd.softState() != null ? rd.softState().leaderId() : old.leaderId();
        var role = rd.softState() != null ? rd.softState().role() : old.role();
        HardState hs = rd.hardState();
        long term = hs != null ? hs.term() : old.term();
        NodeState now = new NodeState(id, leader, role, term, commit, log.lastIndex());
        published = now;
        if (now.leaderId() != 0 && !held.isEmpty()) {
            java.util.List<NodeInput.Propose> replay = new java.util.ArrayList<>(held);
            held.clear();
            replay.forEach(this::propose);
        }
        if (now.leaderId() != old.leaderId() || now.role() != old.role() || now.term() != old.term()) {
            for (Consumer<NodeState> l : listeners) {
                l.accept(now);
            }
        }
    }

    /** The ReadIndex batcher, for its metrics hook. */
    ReadIndexBatcher reads() {
        return reads;
    }

    private void failPendingInputs() {
        NodeStoppedException cause = new NodeStoppedException();
        NodeInput in;
        while ((in = inputs.poll()) != null) {
            if (in instanceof NodeInput.Propose p) {
                p.accepted().completeExceptionally(cause);
            } else if (in instanceof NodeInput.ProposeConfChange p) {
                p.accepted().completeExceptionally(cause);
            } else if (in instanceof NodeInput.Read r) {
                r.readIndex().completeExceptionally(cause);
            } else if (in instanceof NodeInput.Status st) {
                st.status().completeExceptionally(cause);
            }
        }
    }
}
