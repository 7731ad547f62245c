package io.keel.bench.workload;

import io.keel.api.etcdserverpb.LeaseGrantRequest;
import io.keel.api.etcdserverpb.LeaseGrantResponse;
import io.keel.api.etcdserverpb.LeaseKeepAliveRequest;
import io.keel.api.etcdserverpb.LeaseKeepAliveResponse;
import io.keel.bench.cli.BenchArgs;
import io.keel.bench.client.Connection;
import io.keel.bench.client.Connections;
import io.keel.bench.report.LatencyRecorder;
import io.keel.bench.report.Summary;
import io.vertx.core.streams.WriteStream;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code lease-keepalive}: every client grants a lease (TTL 100 s, as etcd's benchmark), opens one
 * LeaseKeepAlive stream and sends keep-alives one at a time on it, the next when the previous is
 * answered, until {@code --total} have been answered across clients. A reply with TTL &lt;= 0 (lease
 * not found) counts as an error. Run by one thread; the streams' callbacks run on event loops.
 */
public final class LeaseKeepAliveBenchmark {
    private static final long TTL_SECONDS = 100;

    private final int total;
    private final LatencyRecorder recorder;
    private final AtomicLong issued = new AtomicLong();
    private final AtomicInteger finishedClients = new AtomicInteger();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final int clients;

    private LeaseKeepAliveBenchmark(int total, int clients) {
        this.total = total;
        this.clients = clients;
        this.recorder = new LatencyRecorder(total);
    }

    public static int run(BenchArgs a, RunSettings s) throws Exception {
        int total = a.integer("total", 10000);
        a.rejectUnknown();
        LeaseKeepAliveBenchmark b = new LeaseKeepAliveBenchmark(total, s.clients());
        try (Connections conns = s.open()) {
            long start = System.nanoTime();
            for (int c = 0; c < s.clients(); c++) {
                b.startClient(conns.forClient(c));
            }
            boolean complete;
            try {
                b.done.get(s.timeout().toMillis(), TimeUnit.MILLISECONDS);
                complete = true;
            } catch (java.util.concurrent.TimeoutException e) {
                complete = false;
            }
            long elapsed = System.nanoTime() - start;
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("total", String.valueOf(total));
            return s.report(Summary.of("lease-keepalive", b.recorder, elapsed), complete, fields);
        }
    }

    private void startClient(Connection conn) {
        conn.lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(TTL_SECONDS).build())
                .onFailure(done::completeExceptionally)
                .onSuccess(granted -> openStream(conn, granted));
    }

    private void openStream(Connection conn, LeaseGrantResponse granted) {
        KeepAliveStream stream = new KeepAliveStream(
                LeaseKeepAliveRequest.newBuilder().setID(granted.getID()).build());
        conn.lease.leaseKeepAlive((WriteStream<LeaseKeepAliveRequest> requests, Throwable err) -> {
            if (err != null) {
                done.completeExceptionally(err);
                return;
            }
            stream.requests = requests;
            stream.next();
        }).onSuccess(responses -> responses.handler(stream::answered))
                .onFailure(done::completeExceptionally);
    }

    /** One client's stream; touched only on its connection's event loop. */
    private final class KeepAliveStream {
        private final LeaseKeepAliveRequest ping;
        private WriteStream<LeaseKeepAliveRequest> requests;
        private long sentAtNanos;

        KeepAliveStream(LeaseKeepAliveRequest ping) {
            this.ping = ping;
        }

        void next() {
            if (issued.getAndIncrement() >= total) {
                requests.end();
                if (finishedClients.incrementAndGet() == clients) {
                    done.complete(null);
                }
                return;
            }
            sentAtNanos = System.nanoTime();
            requests.write(ping);
        }

        void answered(LeaseKeepAliveResponse r) {
            long elapsed = System.nanoTime() - sentAtNanos;
            if (r.getTTL() > 0) {
                recorder.record(elapsed);
            } else {
                recorder.error(new IllegalStateException("etcdserver: requested lease not found"));
            }
            next();
        }
    }
}
