package io.keel.backend.grpc;

import io.keel.api.etcdserverpb.LeaseGrantRequest;
import io.keel.api.etcdserverpb.LeaseGrantResponse;
import io.keel.api.etcdserverpb.LeaseKeepAliveRequest;
import io.keel.api.etcdserverpb.LeaseKeepAliveResponse;
import io.keel.api.etcdserverpb.LeaseLeasesRequest;
import io.keel.api.etcdserverpb.LeaseLeasesResponse;
import io.keel.api.etcdserverpb.LeaseRevokeRequest;
import io.keel.api.etcdserverpb.LeaseRevokeResponse;
import io.keel.api.etcdserverpb.LeaseService;
import io.keel.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.keel.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.keel.backend.handoff.BoundedHandoff;
import io.keel.server.lease.LeaseBackend;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.server.GrpcServerResponse;

import java.util.Objects;

/**
 * The etcd Lease service on the event loop. Unary calls go through a bounded hand-off; a
 * keep-alive stream handles one request at a time (the stream is paused while a renewal is in
 * flight), so a client cannot queue renewals without bound and answers come in request order.
 * Owned by {@link EtcdGrpcServer}; thread-safe.
 */
public final class LeaseRpcs extends LeaseService {
    private final LeaseBackend backend;
    private final BoundedHandoff handoff;
    private final StreamMessages.Method keepAliveMessages;

    public LeaseRpcs(LeaseBackend backend, BoundedHandoff handoff) {
        this(backend, handoff, StreamMessages.NONE);
    }

    /** @param messages counts every request and response of each keep-alive stream */
    public LeaseRpcs(LeaseBackend backend, BoundedHandoff handoff, StreamMessages messages) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.handoff = Objects.requireNonNull(handoff, "handoff");
        this.keepAliveMessages = messages.method("/etcdserverpb.Lease/LeaseKeepAlive");
    }

    @Override
    public Future<LeaseGrantResponse> leaseGrant(LeaseGrantRequest request) {
        return HandedOffCall.run(handoff, () -> backend.grant(request));
    }

    @Override
    public Future<LeaseRevokeResponse> leaseRevoke(LeaseRevokeRequest request) {
        return HandedOffCall.run(handoff, () -> backend.revoke(request));
    }

    @Override
    public Future<LeaseTimeToLiveResponse> leaseTimeToLive(LeaseTimeToLiveRequest request) {
        return HandedOffCall.run(handoff, () -> backend.timeToLive(request));
    }

    @Override
    public Future<LeaseLeasesResponse> leaseLeases(LeaseLeasesRequest request) {
        return HandedOffCall.run(handoff, backend::leases);
    }

    @Override
    protected void leaseKeepAlive(ReadStream<LeaseKeepAliveRequest> requests,
                                  WriteStream<LeaseKeepAliveResponse> responses) {
        Context context = Vertx.currentContext();
        KeepAliveStream stream = new KeepAliveStream(context, requests, responses);
        requests.handler(stream::renew);
        requests.endHandler(v -> stream.requestsEnded());
        requests.exceptionHandler(t -> stream.requestsEnded());
    }

    /** One keep-alive stream; confined to its event-loop context. */
    private final class KeepAliveStream {
        private final Context context;
        private final ReadStream<LeaseKeepAliveRequest> requests;
        private final WriteStream<LeaseKeepAliveResponse> responses;
        private boolean inFlight;
        private boolean ended;
        private boolean closed;

        KeepAliveStream(Context context, ReadStream<LeaseKeepAliveRequest> requests,
                        WriteStream<LeaseKeepAliveResponse> responses) {
            this.context = context;
            this.requests = requests;
            this.responses = responses;
        }

        void renew(LeaseKeepAliveRequest request) {
            keepAliveMessages.received();
            inFlight = true;
            requests.pause();
            HandedOffCall.run(handoff, () -> backend.keepAlive(request.getID())).onComplete(ar ->
                    context.runOnContext(v -> answered(ar.succeeded() ? ar.result() : null, ar.cause())));
        }

        private void answered(LeaseKeepAliveResponse response, Throwable failure) {
            inFlight = false;
            if (closed) {
                return;
            }
            if (failure != null) {
                closed = true;
                if (responses instanceof GrpcServerResponse<?, ?> grpc) {
                    grpc.fail(GrpcErrors.toStatusException(failure));
                } else {
                    responses.end();
                }
                return;
            }
            responses.write(response);
            keepAliveMessages.sent();
            if (ended) {
                closed = true;
                responses.end();
            } else if (responses.writeQueueFull()) {
                responses.drainHandler(v -> requests.resume());
            } else {
                requests.resume();
            }
        }

        void requestsEnded() {
            ended = true;
            if (!inFlight && !closed) {
                closed = true;
                responses.end();
            }
        }
    }
}
