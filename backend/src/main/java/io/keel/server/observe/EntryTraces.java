package io.keel.server.observe;

import io.keel.raft.Entry;
import io.keel.raft.EntryType;
import io.keel.server.raftnode.ReadyObserver;
import io.keel.tracing.span.NoopSpanHandle;
import io.keel.tracing.span.RequestTracer;
import io.keel.tracing.span.SpanHandle;
import io.keel.tracing.span.SpanStep;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The distributed-tracing context of the requests in flight on this member, keyed by request id
 * (the id inside each normal Raft entry), so that Raft itself stays free of tracing: the Raft
 * thread, the apply thread and the peer transport look an entry's span up here and start their
 * child spans under it ({@code raft.log_append}, {@code raft.commit}, {@code raft.replicate},
 * {@code apply}); the transport carries the context across the peer hop, where
 * {@link #proposalArrived} and {@link #appendArrived} continue the same trace.
 *
 * <p>Only sampled requests are registered, so with tracing off (or a request not sampled) every
 * hook returns after one {@link #active()} check: no span, no allocation. Everything is bounded:
 * at most {@link #MAX_TRACED} requests and {@link #MAX_PENDING_PER_PEER} unacknowledged
 * replications per peer; entries whose request vanished (a dropped proposal, a leader change) are
 * swept after {@link #ABANDON_AFTER_NANOS}.
 *
 * <p>Owner: the member ({@link Observability}). Thread-safety: thread-safe; the persist hooks are
 * called only from the Raft thread.
 */
public final class EntryTraces implements ReadyObserver {
    public static final int MAX_TRACED = 4096;
    public static final int MAX_PENDING_PER_PEER = 1024;
    static final long ABANDON_AFTER_NANOS = 30_000_000_000L;
    static final String INDEX_ATTRIBUTE = "keel.raft.index";

    private final RequestTracer tracer;
    private final Map<Long, Traced> requests = new ConcurrentHashMap<>();
    private final Map<Long, Traced> followerAppends = new ConcurrentHashMap<>();
    private final Map<Long, ConcurrentLinkedDeque<Pending>> replicating = new ConcurrentHashMap<>();
    /** Raft thread only: the log-append spans of the Ready being persisted. */
    private final List<SpanHandle> appending = new ArrayList<>();

    /** One traced request: the span its steps hang under, and its commit span while it waits. */
    private static final class Traced {
        final SpanHandle parent;
        final boolean ownsParent;
        final long startedNanos = System.nanoTime();
        final AtomicReference<SpanHandle> commit = new AtomicReference<>();
        volatile SpanHandle propose;

        Traced(SpanHandle parent, boolean ownsParent) {
            this.parent = parent;
            this.ownsParent = ownsParent;
        }
    }

    private record Pending(long index, SpanHandle span) {
    }

    public EntryTraces(RequestTracer tracer) {
        this.tracer = tracer;
    }

    /** True when some request or append on this member is traced; every hook checks it first. */
    public boolean active() {
        return !requests.isEmpty() || !followerAppends.isEmpty();
    }

    // ---- the proposing member (caller threads) ----

    /**
     * Registers a request about to be proposed and starts its {@code raft.propose} span (the caller
     * ends it once Raft took the proposal). Returns the no-op span when {@code parent} is not sampled.
     */
    public SpanHandle proposing(long requestId, SpanHandle parent) {
        if (!parent.sampled() || !room(requests)) {
            return NoopSpanHandle.INSTANCE;
        }
        Traced t = new Traced(parent, false);
        t.propose = parent.startChild(SpanStep.PROPOSE).addEvent("send raft proposal");
        requests.put(requestId, t);
        return t.propose;
    }

    /** The proposing member got its answer (or gave up): forget the request. */
    public void finished(long requestId) {
        if (requests.isEmpty()) {
            return;
        }
        Traced t = requests.remove(requestId);
        if (t != null) {
            endCommit(t);
        }
    }

    // ---- the peer hop (event loops) ----

    /** The context to send with a forwarded proposal of {@code requestId}, or null. */
    public byte[] forProposal(long requestId) {
        Traced t = requests.get(requestId);
        if (t == null) {
            return null;
        }
        SpanHandle from = t.propose != null ? t.propose : t.parent;
        return from.toBytes();
    }

    /** Starts a {@code raft.replicate} span for sending entry {@code index} to {@code peerId}; its context, or null. */
    public byte[] forAppend(long peerId, long requestId, long index) {
        Traced t = requests.get(requestId);
        if (t == null) {
            return null;
        }
        ConcurrentLinkedDeque<Pending> pending = replicating.computeIfAbsent(peerId, p -> new ConcurrentLinkedDeque<>());
        if (pending.size() >= MAX_PENDING_PER_PEER) {
            Pending oldest = pending.poll();
            if (oldest != null) {
                oldest.span().addEvent("not acknowledged").end();
            }
        }
        SpanHandle span = t.parent.startReplicate(peerId).setAttribute(INDEX_ATTRIBUTE, index);
        pending.add(new Pending(index, span));
        return span.toBytes();
    }

    /** On the leader: a follower forwarded a traced proposal; continue its trace here. */
    public void proposalArrived(long requestId, byte[] context) {
        if (requests.containsKey(requestId) || !room(requests)) {
            return;
        }
        SpanHandle span = tracer.continueFromPeer(SpanStep.LEADER_APPEND, context);
        if (!span.sampled()) {
            span.end();
            return;
        }
        requests.put(requestId, new Traced(span, true));
    }

    /** On a follower: the leader sent a traced entry; continue its trace here until it is persisted. */
    public void appendArrived(long requestId, long index, byte[] context) {
        if (!room(followerAppends)) {
            return;
        }
        SpanHandle span = tracer.continueFromPeer(SpanStep.FOLLOWER_APPEND, context);
        if (!span.sampled()) {
            span.end();
            return;
        }
        span.setAttribute(INDEX_ATTRIBUTE, index);
        Traced old = followerAppends.put(requestId, new Traced(span, true));
        if (old != null) {
            old.parent.addEvent("superseded by a resend").end();
        }
    }

    /** On the leader: {@code peerId} acknowledged every entry up to {@code index}. */
    public void acknowledged(long peerId, long index) {
        if (replicating.isEmpty()) {
            return;
        }
        ConcurrentLinkedDeque<Pending> pending = replicating.get(peerId);
        if (pending == null) {
            return;
        }
        Pending head;
        while ((head = pending.peek()) != null && head.index() <= index) {
            if (pending.remove(head)) {
                head.span().end();
            }
        }
    }

    // ---- the Raft thread ----

    /** Before the Ready's entries are written: starts a {@code raft.log_append} span per traced entry. */
    @Override
    public void persisting(List<Entry> entries) {
        if (!active()) {
            return;
        }
        for (Entry e : entries) {
            long id = idOf(e);
            if (id == 0) {
                continue;
            }
            Traced onPeer = followerAppends.get(id);
            Traced mine = requests.get(id);
            Traced under = onPeer != null ? onPeer : mine;
            if (under != null) {
                appending.add(under.parent.startChild(SpanStep.LOG_APPEND).setAttribute(INDEX_ATTRIBUTE, e.index()));
            }
        }
    }

    /** After the write and its fsync: ends the appends, starts the commit waits, ends follower appends. */
    @Override
    public void persisted(List<Entry> entries) {
        if (appending.isEmpty()) {
            return;
        }
        appending.forEach(SpanHandle::end);
        appending.clear();
        for (Entry e : entries) {
            long id = idOf(e);
            if (id == 0) {
                continue;
            }
            Traced mine = requests.get(id);
            if (mine != null && mine.commit.get() == null) {
                mine.commit.compareAndSet(null, mine.parent.startChild(SpanStep.COMMIT));
            }
            Traced onPeer = followerAppends.remove(id);
            if (onPeer != null) {
                onPeer.parent.end();
            }
        }
    }

    /** Entries this member now knows committed: ends their commit waits. */
    @Override
    public void committed(List<Entry> entries) {
        if (requests.isEmpty()) {
            return;
        }
        for (Entry e : entries) {
            long id = idOf(e);
            Traced t = id == 0 ? null : requests.get(id);
            if (t != null) {
                endCommit(t);
            }
        }
    }

    // ---- the apply thread ----

    /** Starts the {@code apply} span of {@code requestId}, or returns the no-op span. */
    public SpanHandle startApply(long requestId) {
        if (requests.isEmpty()) {
            return NoopSpanHandle.INSTANCE;
        }
        Traced t = requests.get(requestId);
        return t == null ? NoopSpanHandle.INSTANCE : t.parent.startChild(SpanStep.APPLY);
    }

    /** The request was applied here; a trace continued from a peer ends with it. */
    public void applied(long requestId) {
        if (requests.isEmpty()) {
            return;
        }
        Traced t = requests.get(requestId);
        if (t != null && t.ownsParent && requests.remove(requestId, t)) {
            endCommit(t);
            t.parent.end();
        }
    }

    private static void endCommit(Traced t) {
        SpanHandle commit = t.commit.getAndSet(NoopSpanHandle.INSTANCE);
        if (commit != null) {
            commit.end();
        }
    }

    private static long idOf(Entry e) {
        return e.type() == EntryType.NORMAL ? RequestIds.of(e.data()) : 0;
    }

    /** True when {@code map} may take one more; sweeps abandoned entries when it is full. */
    private static boolean room(Map<Long, Traced> map) {
        if (map.size() < MAX_TRACED) {
            return true;
        }
        long now = System.nanoTime();
        for (Iterator<Traced> it = map.values().iterator(); it.hasNext(); ) {
            Traced t = it.next();
            if (now - t.startedNanos > ABANDON_AFTER_NANOS) {
                it.remove();
                endCommit(t);
                if (t.ownsParent) {
                    t.parent.addEvent("abandoned").end();
                }
            }
        }
        return map.size() < MAX_TRACED;
    }
}
