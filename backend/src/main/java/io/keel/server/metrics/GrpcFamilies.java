package io.keel.server.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * grpc-prometheus' {@code grpc_server_*} families as etcd exports them, plus etcd's client byte
 * counters. Each known method's series are resolved once into a {@link MethodCells}, so a call
 * records without lookups by label or allocation. Thread-safe.
 */
public final class GrpcFamilies {
    /** grpc-prometheus' default buckets for {@code grpc_server_handling_seconds}. */
    private static final double[] HANDLING_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final LabeledCounter started;
    private final LabeledCounter handled;
    private final LabeledCounter received;
    private final LabeledCounter sent;
    private final LabeledHistogram handling;
    public final Counter clientReceivedBytes;
    public final Counter clientSentBytes;
    private final Map<String, MethodCells> byPath = new HashMap<>();

    GrpcFamilies(MetricRegistry r) {
        started = r.register(new LabeledCounter("grpc_server_started_total",
                "Total number of RPCs started on the server.", "grpc_method", "grpc_service", "grpc_type"));
        handled = r.register(new LabeledCounter("grpc_server_handled_total",
                "Total number of RPCs completed on the server, regardless of success or failure.",
                "grpc_code", "grpc_method", "grpc_service", "grpc_type"));
        received = r.register(new LabeledCounter("grpc_server_msg_received_total",
                "Total number of RPC stream messages received on the server.",
                "grpc_method", "grpc_service", "grpc_type"));
        sent = r.register(new LabeledCounter("grpc_server_msg_sent_total",
                "Total number of gRPC stream messages sent by the server.", "grpc_method", "grpc_service", "grpc_type"));
        handling = r.register(new LabeledHistogram("grpc_server_handling_seconds",
                "Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.",
                HANDLING_SECONDS, "grpc_method", "grpc_service", "grpc_type"));
        clientReceivedBytes = r.register(new Counter("etcd_network_client_grpc_received_bytes_total",
                "The total number of bytes received from grpc clients."));
        clientSentBytes = r.register(new Counter("etcd_network_client_grpc_sent_bytes_total",
                "The total number of bytes sent to grpc clients."));
        for (GrpcMethodTable.Method m : GrpcMethodTable.ETCD) {
            byPath.put(m.path(), new MethodCells(m, true));
        }
        for (GrpcMethodTable.Method m : GrpcMethodTable.LAZY) {
            byPath.put(m.path(), new MethodCells(m, false));
        }
    }

    /** The cells of the method at {@code path} ({@code /etcdserverpb.KV/Put}), null if not a known method. */
    public MethodCells method(String path) {
        return byPath.get(path);
    }

    /**
     * gRPC messages received and sent so far, over every method: how much client work the member
     * has done (the idle native-memory trim watches it). Sums the cells; call now and then, not per request.
     */
    public long messages() {
        long n = 0;
        for (MethodCells cells : byPath.values()) {
            n += cells.messages();
        }
        return n;
    }

    /** One method's series. Thread-safe. */
    public final class MethodCells {
        private final GrpcMethodTable.Method method;
        private final LongAdder[] handledByCode = new LongAdder[GrpcMethodTable.CODES.size()];
        private volatile boolean created;
        private LongAdder startedCell;
        private LongAdder receivedCell;
        private LongAdder sentCell;
        private HistogramCells handlingCell;

        MethodCells(GrpcMethodTable.Method method, boolean eager) {
            this.method = method;
            if (eager) {
                create();
            }
        }

        /** Series appear at 0 for every code once the method is first used (or at start for etcd's). */
        private synchronized void create() {
            if (created) {
                return;
            }
            String n = method.name();
            String s = method.service();
            String t = method.type();
            startedCell = started.labels(n, s, t);
            receivedCell = received.labels(n, s, t);
            sentCell = sent.labels(n, s, t);
            handlingCell = handling.labels(n, s, t);
            for (int i = 0; i < handledByCode.length; i++) {
                handledByCode[i] = handled.labels(GrpcMethodTable.CODES.get(i), n, s, t);
            }
            created = true;
        }

        long messages() {
            return created ? receivedCell.sum() + sentCell.sum() : 0;
        }

        public boolean unary() {
            return "unary".equals(method.type());
        }

        public String type() {
            return method.type();
        }

        public void started() {
            if (!created) {
                create();
            }
            startedCell.increment();
        }

        public void messageReceived() {
            if (!created) {
                create();
            }
            receivedCell.increment();
        }

        public void messageSent() {
            messagesSent(1);
        }

        /** {@code n} messages sent at once (a watch stream writes what it has queued together). */
        public void messagesSent(int n) {
            if (!created) {
                create();
            }
            sentCell.add(n);
        }

        /** The call finished with gRPC status {@code code} after {@code nanos}. */
        public void handled(int code, long nanos) {
            int c = code >= 0 && code < handledByCode.length ? code : 2; // Unknown
            handledByCode[c].increment();
            handlingCell.observeNanos(nanos);
        }
    }
}
