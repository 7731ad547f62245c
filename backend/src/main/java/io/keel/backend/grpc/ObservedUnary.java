package io.keel.backend.grpc;

import io.keel.server.observe.CallTrace;
import io.keel.server.observe.Observability;
import io.keel.tracing.span.MetadataGetter;
import io.keel.tracing.span.SpanHandle;
import io.keel.tracing.span.SpanStep;
import io.keel.tracing.steps.Field;
import io.keel.tracing.steps.Trace;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.StatusException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs a unary gRPC method with Keel's request observation, which Vert.x's gRPC server does not
 * have: a server span named by the method ({@code etcdserverpb.KV/Put}) joining the caller's
 * trace from its {@code traceparent} or {@code uber-trace-id} metadata, an etcd step trace
 * ({@code trace[N] put}) logged when slow, a {@code grpc.reply} span around the answer, and the
 * gRPC status on the span. With tracing off the span is the shared no-op handle.
 *
 * <p>Owner: the gRPC server's service bindings. Thread-safety: stateless apart from its
 * collaborators; handlers run on the call's event loop.
 */
final class ObservedUnary {
    /** Reads gRPC metadata (HTTP/2 headers, case-insensitive) for the propagators. */
    static final MetadataGetter<MultiMap> HEADERS = new MetadataGetter<>() {
        @Override
        public String get(MultiMap carrier, String key) {
            return carrier.get(key);
        }

        @Override
        public Iterable<String> keys(MultiMap carrier) {
            return carrier.names();
        }
    };

    private final Observability observability;

    ObservedUnary(Observability observability) {
        this.observability = observability;
    }

    /**
     * @param operation etcd's step-trace name ({@code range}, {@code put}, ...)
     * @param detail    the step trace's detail fields for a request
     */
    <Req, Resp> Handler<GrpcServerRequest<Req, Resp>> handler(ServiceMethod<Req, Resp> method, String operation,
            Function<Req, Field[]> detail, BiFunction<Req, CallTrace, Future<Resp>> call) {
        String fullMethod = method.fullMethodName();
        return req -> req.handler(msg -> {
            SpanHandle span = observability.tracer().startServerSpan(fullMethod, req.headers(), HEADERS);
            Trace steps = observability.steps().start(operation, detail.apply(msg));
            steps.linkTraceId(span.traceId());
            Future<Resp> answer;
            try {
                answer = call.apply(msg, new CallTrace(span, steps));
            } catch (RuntimeException e) {
                answer = Future.failedFuture(e);
            }
            answer.onComplete((result, failure) -> {
                // As etcd: the step trace ends with the answer computed, before it is sent.
                observability.steps().logIfLong(steps);
                SpanHandle reply = span.startChild(SpanStep.REPLY);
                if (failure == null) {
                    req.response().end(result);
                    span.grpcStatus(0, null);
                } else {
                    StatusException status = GrpcErrors.toStatusException(failure);
                    req.response().fail(status);
                    span.grpcStatus(status.status().code, status.message());
                }
                reply.end();
                span.end();
            });
        });
    }
}
