package io.keel.server.wait;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Connects a proposed request to the result of applying it, as etcd's wait.Wait: the proposer
 * registers the request id before proposing; the apply thread triggers it when it applies the
 * entry with that id. Only the member that proposed has a registration; other members apply the
 * same entry and find none.
 *
 * <p>A registration may carry a deadline: {@link #failExpired} (called periodically by the
 * member's timer) fails it with a {@link TimeoutException} once the deadline has passed. One
 * sweep for all requests, instead of a timer task per request, which woke the JDK's delay
 * thread for every proposal.
 *
 * <p>Thread-safe. Futures complete on the apply thread (or the sweeping thread), so callers must
 * continue on their own executor or event loop.
 *
 * @param <R> the apply result type
 */
public final class WaitRegistry<R> {
    private final ConcurrentHashMap<Long, Waiter<R>> pending = new ConcurrentHashMap<>();
    private final int maxPending;

    /** @param maxPending bound on outstanding registrations; over it registering fails */
    public WaitRegistry(int maxPending) {
        if (maxPending <= 0) {
            throw new IllegalArgumentException("maxPending must be > 0");
        }
        this.maxPending = maxPending;
    }

    /**
     * Registers {@code id}; returns null when the registry is full (the caller answers
     * "etcdserver: too many requests").
     */
    public CompletableFuture<R> register(long id) {
        return register(id, Long.MAX_VALUE);
    }

    /**
     * Registers {@code id} to fail with a {@link TimeoutException} at the first {@link #failExpired}
     * after {@code deadlineNanos} ({@link System#nanoTime()} scale; {@link Long#MAX_VALUE}: never).
     * Returns null when the registry is full.
     */
    public CompletableFuture<R> register(long id, long deadlineNanos) {
        if (pending.size() >= maxPending) {
            return null;
        }
        Waiter<R> w = new Waiter<>(new CompletableFuture<>(), deadlineNanos);
        if (pending.putIfAbsent(id, w) != null) {
            throw new IllegalStateException("duplicate request id " + Long.toHexString(id));
        }
        return w.future();
    }

    /** Completes the registration for {@code id}, if this member has one. */
    public void trigger(long id, R result) {
        Waiter<R> w = pending.remove(id);
        if (w != null) {
            w.future().complete(result);
        }
    }

    /** Fails the registration for {@code id} (its proposal was dropped, or the caller gave up). */
    public void fail(long id, Throwable cause) {
        Waiter<R> w = pending.remove(id);
        if (w != null) {
            w.future().completeExceptionally(cause);
        }
    }

    /** Fails, with a {@link TimeoutException}, every registration whose deadline is before {@code nowNanos}. */
    public void failExpired(long nowNanos) {
        for (var e : pending.entrySet()) {
            Waiter<R> w = e.getValue();
            if (w.deadlineNanos() != Long.MAX_VALUE && nowNanos - w.deadlineNanos() >= 0
                    && pending.remove(e.getKey(), w)) {
                w.future().completeExceptionally(new TimeoutException());
            }
        }
    }

    /** Fails every registration (the member is stopping). */
    public void failAll(Throwable cause) {
        for (Long id : pending.keySet()) {
            fail(id, cause);
        }
    }

    public int pendingCount() {
        return pending.size();
    }

    private record Waiter<R>(CompletableFuture<R> future, long deadlineNanos) {
    }
}
