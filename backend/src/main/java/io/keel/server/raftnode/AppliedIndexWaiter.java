package io.keel.server.raftnode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Lets readers wait until the state machine has applied a given index (a ReadIndex read, or a
 * write waiting for its own entry). Thread-safe: the apply thread advances it, any thread waits.
 *
 * <p>Futures complete on the apply thread: callers must hand their continuation to their own
 * executor or event loop rather than doing work inline.
 */
public final class AppliedIndexWaiter {
    private final TreeMap<Long, List<CompletableFuture<Long>>> waiting = new TreeMap<>();
    private long applied;
    private RuntimeException failure;

    public AppliedIndexWaiter(long initialApplied) {
        this.applied = initialApplied;
    }

    /** Completes with the applied index once it is at least {@code index}. */
    public CompletableFuture<Long> waitFor(long index) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        long now;
        synchronized (this) {
            if (failure != null) {
                f.completeExceptionally(failure);
                return f;
            }
            now = applied;
            if (now < index) {
                waiting.computeIfAbsent(index, k -> new ArrayList<>()).add(f);
                return f;
            }
        }
        f.complete(now);
        return f;
    }

    /** The applied index now; thread-safe. */
    public synchronized long applied() {
        return applied;
    }

    /** Called by the apply thread after applying up to {@code index}. */
    public void advance(long index) {
        List<CompletableFuture<Long>> ready = new ArrayList<>();
        synchronized (this) {
            if (index <= applied) {
                return;
            }
            applied = index;
            Map<Long, List<CompletableFuture<Long>>> head = waiting.headMap(index, true);
            head.values().forEach(ready::addAll);
            head.clear();
        }
        for (CompletableFuture<Long> f : ready) {
            f.complete(index);
        }
    }

    /** Fails every current and future waiter (the node is stopping). */
    public void failAll(RuntimeException cause) {
        List<CompletableFuture<Long>> all = new ArrayList<>();
        synchronized (this) {
            failure = cause;
            waiting.values().forEach(all::addAll);
            waiting.clear();
        }
        all.forEach(f -> f.completeExceptionally(cause));
    }
}
