package io.keel.backend.grpc;

import io.keel.server.metrics.GrpcFamilies;

/**
 * Per-message counts of streaming calls ({@code grpc_server_msg_received_total},
 * {@code grpc_server_msg_sent_total}), as go-grpc-prometheus' stream wrapper counts every
 * received and sent message. Vert.x's gRPC server has no interceptors and frames messages inside
 * itself, so the streaming handlers count where they read a request or write a response; unary
 * calls are counted from the HTTP/2 stream by {@link io.keel.backend.metrics.GrpcCallMetrics}.
 * Immutable; thread-safe.
 */
public final class StreamMessages {
    /** Counts nothing (a gRPC server without metrics, as in tests). */
    public static final StreamMessages NONE = new StreamMessages(null);

    private final GrpcFamilies grpc;

    /** @param grpc the member's gRPC families; null counts nothing */
    public StreamMessages(GrpcFamilies grpc) {
        this.grpc = grpc;
    }

    /** The counter of the method at {@code path} ({@code /etcdserverpb.Watch/Watch}); resolve once. */
    Method method(String path) {
        GrpcFamilies.MethodCells cells = grpc == null ? null : grpc.method(path);
        return cells == null ? Method.NONE : new Method(cells);
    }

    /** One method's message counters; lock-free and allocation-free. Thread-safe. */
    static final class Method {
        static final Method NONE = new Method(null);
        private final GrpcFamilies.MethodCells cells;

        private Method(GrpcFamilies.MethodCells cells) {
            this.cells = cells;
        }

        void received() {
            if (cells != null) {
                cells.messageReceived();
            }
        }

        void sent() {
            sent(1);
        }

        /** {@code n} messages went out in one write. */
        void sent(int n) {
            if (cells != null) {
                cells.messagesSent(n);
            }
        }
    }
}
