package io.keel.server.wait;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connects a proposed request to the result of applying it, as etcd's wait.Wait: the proposer
 * registers the request id before proposing; the apply thread triggers it when it applies the
 * entry with that id. Only the member that proposed has a registration; other members apply the
 * same entry and find none.
 *
 * <p>Thread-safe. Futures complete on the apply thread, so callers must continue on their own
 * executor or event loop.
 *
 * @param <R> the apply result type
 */
public final class WaitRegistry<R> {
    private final ConcurrentHashMap<Long, CompletableFuture<R>> pending = new ConcurrentHashMap<>();
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
        if (pending.size() >= maxPending) {
            return null;
        }
        CompletableFuture<R> f = new CompletableFuture<>();
        if (pending.putIfAbsent(id, f) != null) {
            throw new IllegalStateException("duplicate request id " + Long.toHexString(id));
        }
        return f;
    }

    /** Completes the registration for {@code id}, if this member has one. */
    public void trigger(long id, R result) {
        CompletableFuture<R> f = pending.remove(id);
        if (f != null) {
            f.complete(result);
        }
    }

    /** Fails the registration for {@code id} (its proposal was dropped, or the caller gave up). */
    public void fail(long id, Throwable cause) {
        CompletableFuture<R> f = pending.remove(id);
        if (f != null) {
            f.completeExceptionally(cause);
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
}
