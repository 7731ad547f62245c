package io.keel.server.request;

import io.keel.api.etcdserverpb.Member;
import io.keel.api.internal.v1.InternalRequest;
import io.keel.api.internal.v1.MemberChange;
import io.keel.raft.ConfChange;
import io.keel.raft.ConfChangeType;
import io.keel.raft.ProposalDroppedException;
import io.keel.server.apply.ApplyResult;
import io.keel.server.errors.EtcdError;
import io.keel.server.errors.EtcdException;
import io.keel.server.observe.EntryTraces;
import io.keel.server.raftnode.NodeBusyException;
import io.keel.server.raftnode.NodeStoppedException;
import io.keel.server.raftnode.RaftNode;
import io.keel.server.wait.RequestIdGenerator;
import io.keel.server.wait.WaitRegistry;
import io.keel.tracing.span.NoopRequestTracer;
import io.keel.tracing.span.NoopSpanHandle;
import io.keel.tracing.span.SpanHandle;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Proposes a client request through Raft and completes with the result of applying it, as etcd's
 * processInternalRaftRequestOnce: register the id, propose, wait for the apply, give up after
 * the request timeout. Every failure comes out as an {@link EtcdException} with etcd's error.
 *
 * <p>Thread-safe; never blocks. Futures complete on the Raft or apply thread, or on the thread
 * that calls {@link #expireOverdue()} (the member's timer).
 */
public final class Proposer {
    /** How often the member sweeps for proposals past their timeout ({@link #expireOverdue()}). */
    public static final long EXPIRY_SWEEP_MILLIS = 100;

    private final RaftNode node;
    private final WaitRegistry<ApplyResult> wait;
    private final RequestIdGenerator ids;
    private final long maxRequestBytes;
    private final long timeoutMillis;
    private final EntryTraces traces;

    private volatile Runnable onFailure = () -> { };

    public Proposer(RaftNode node, WaitRegistry<ApplyResult> wait, RequestIdGenerator ids, long maxRequestBytes,
                    long timeoutMillis) {
        this(node, wait, ids, maxRequestBytes, timeoutMillis, new EntryTraces(NoopRequestTracer.INSTANCE));
    }

    /** @param traces where a traced request's span is registered by id for the Raft and apply threads */
    public Proposer(RaftNode node, WaitRegistry<ApplyResult> wait, RequestIdGenerator ids, long maxRequestBytes,
                    long timeoutMillis, EntryTraces traces) {
        this.traces = traces;
        this.node = node;
        this.wait = wait;
        this.ids = ids;
        this.maxRequestBytes = maxRequestBytes;
        this.timeoutMillis = timeoutMillis;
    }

    /** Told of each proposal that failed or timed out (etcd's proposals_failed_total). Before use. */
    public void setFailureListener(Runnable onFailure) {
        this.onFailure = java.util.Objects.requireNonNull(onFailure, "onFailure");
    }

    public long timeoutMillis() {
        return timeoutMillis;
    }

    /**
     * Fails every proposal older than the request timeout with etcd's timeout error. The member's
     * timer calls it every {@link #EXPIRY_SWEEP_MILLIS}, so a request times out at most that much
     * after its timeout. Any thread.
     */
    public void expireOverdue() {
        wait.failExpired(System.nanoTime());
    }

    /** Proposes {@code request} (its id is set here) and completes with a successful result. */
    public CompletableFuture<ApplyResult> propose(InternalRequest.Builder request) {
        return propose(request, NoopSpanHandle.INSTANCE);
    }

    /**
     * {@link #propose(InternalRequest.Builder)} for a traced call: when {@code span} is sampled, the
     * request's {@code raft.propose}, commit and apply spans are recorded under it.
     */
    public CompletableFuture<ApplyResult> propose(InternalRequest.Builder request, SpanHandle span) {
        long id = ids.next();
        byte[] data = request.setId(id).build().toByteArray();
        if (data.length > maxRequestBytes) {
            return CompletableFuture.failedFuture(new EtcdException(EtcdError.REQUEST_TOO_LARGE));
        }
        if (!span.sampled()) {
            return await(id, () -> node.propose(data));
        }
        SpanHandle propose = traces.proposing(id, span);
        return await(id, () -> node.propose(data).whenComplete((ok, err) -> {
            if (err != null) {
                propose.fail(String.valueOf(translate(err).getMessage()));
            }
            propose.addEvent("proposal accepted by raft").end();
        })).whenComplete((r, err) -> traces.finished(id));
    }

    /**
     * Proposes a membership change for {@code nodeId}; {@code member} travels in the conf change's
     * context so every member records the same member. Completes with the new member list.
     */
    public CompletableFuture<ApplyResult> proposeConfChange(ConfChangeType type, long nodeId, Member member) {
        return proposeConfChange(type, nodeId, member, false);
    }

    /**
     * As {@link #proposeConfChange(ConfChangeType, long, Member)}; {@code promote} marks an ADD_NODE
     * that promotes an existing learner (checked again as such when applied).
     */
    public CompletableFuture<ApplyResult> proposeConfChange(ConfChangeType type, long nodeId, Member member,
                                                           boolean promote) {
        long id = ids.next();
        byte[] context = MemberChange.newBuilder().setRequestId(id).setMember(member).setIsPromote(promote).build()
                .toByteArray();
        return await(id, () -> node.proposeConfChange(new ConfChange(type, nodeId, context)));
    }

    /** Registers {@code id} first, then proposes: the apply may come before propose() returns. */
    private CompletableFuture<ApplyResult> await(long id, Supplier<CompletableFuture<Void>> propose) {
        // The timeout: the member's timer calls expireOverdue() (see there).
        CompletableFuture<ApplyResult> applied = wait.register(id,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
        if (applied == null) {
            return CompletableFuture.failedFuture(new EtcdException(EtcdError.TOO_MANY_REQUESTS));
        }
        propose.get().whenComplete((ok, err) -> {
            if (err != null) {
                wait.fail(id, translate(err));
            }
        });
        return applied.handle((r, err) -> {
            if (err != null) {
                onFailure.run();
                throw new CompletionException(translate(err));
            }
            if (r.failed()) {
                throw new CompletionException(r.error());
            }
            return r;
        });
    }

    /**
     * Maps a failure of the Raft node to the error etcd's clients expect; anything unexpected is
     * passed on as it is, for {@link io.keel.server.errors.ErrorMapping} to report.
     */
    public RuntimeException translate(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (t instanceof EtcdException e) {
            return e;
        }
        if (t instanceof TimeoutException) {
            return new EtcdException(node.state().leaderId() == 0 ? EtcdError.NO_LEADER : EtcdError.TIMEOUT);
        }
        if (t instanceof NodeBusyException) {
            return new EtcdException(EtcdError.TOO_MANY_REQUESTS);
        }
        if (t instanceof NodeStoppedException) {
            return new EtcdException(EtcdError.STOPPED);
        }
        if (t instanceof ProposalDroppedException) {
            // No leader to take it, or a leadership transfer in progress.
            return new EtcdException(node.state().leaderId() == 0 ? EtcdError.NO_LEADER : EtcdError.LEADER_CHANGED);
        }
        return t instanceof RuntimeException re ? re : new IllegalStateException(t);
    }
}
