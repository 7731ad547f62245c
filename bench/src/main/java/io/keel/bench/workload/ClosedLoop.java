package io.keel.bench.workload;

import io.keel.bench.client.Connection;
import io.keel.bench.client.Connections;
import io.keel.bench.report.LatencyRecorder;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The driver of etcd's benchmark: {@code clients} logical clients, each with one request in
 * flight, share a pool of {@code total} requests; a client sends its next request when the
 * previous one completes. Latency is measured per request from send to reply. Created and awaited
 * by one thread; the completions run on the connections' event loops.
 */
public final class ClosedLoop {
    /** Sends request number {@code seq} on {@code conn}; the future completes with its reply. */
    @FunctionalInterface
    public interface Op {
        Future<?> send(Connection conn, long seq);
    }

    /** Told of every successful request (e.g. to count the watch events it should cause). */
    @FunctionalInterface
    public interface Listener {
        void succeeded(long seq);
    }

    private final Connections conns;
    private final int clients;
    private final long total;
    private final Op op;
    private final Listener listener;
    private final LatencyRecorder recorder;
    private final AtomicLong issued = new AtomicLong();
    private final AtomicInteger finishedClients = new AtomicInteger();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    public ClosedLoop(Connections conns, int clients, long total, Op op, Listener listener) {
        if (clients < 1 || total < 0) {
            throw new IllegalArgumentException("--clients must be positive and --total not negative");
        }
        this.conns = conns;
        this.clients = clients;
        this.total = total;
        this.op = op;
        this.listener = listener;
        this.recorder = new LatencyRecorder((int) Math.min(Integer.MAX_VALUE - 8, total));
    }

    public LatencyRecorder recorder() {
        return recorder;
    }

    /** Starts every client; returns at once. */
    public ClosedLoop start() {
        if (total == 0) {
            done.complete(null);
        }
        for (int c = 0; c < clients; c++) {
            drive(conns.forClient(c));
        }
        return this;
    }

    /** Waits for the last reply; false when {@code timeout} passed first. */
    public boolean await(Duration timeout) throws InterruptedException {
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    // A loop, not recursion, while replies complete synchronously (a refused connection fails
    // every request at once): the stack stays flat however many requests fail in a row.
    private void drive(Connection conn) {
        while (true) {
            long seq = issued.getAndIncrement();
            if (seq >= total) {
                if (finishedClients.incrementAndGet() == clients) {
                    // The last client to run out waits for nothing: every earlier request has
                    // been accounted before its client asked for another.
                    done.complete(null);
                }
                return;
            }
            long start = System.nanoTime();
            Future<?> f = op.send(conn, seq);
            if (f.isComplete()) {
                account(f, seq, start);
                continue;
            }
            f.onComplete(ar -> {
                account(ar, seq, start);
                drive(conn);
            });
            return;
        }
    }

    private void account(AsyncResult<?> ar, long seq, long startNanos) {
        long elapsed = System.nanoTime() - startNanos;
        if (ar.succeeded()) {
            recorder.record(elapsed);
            listener.succeeded(seq);
        } else {
            recorder.error(ar.cause());
        }
    }
}
