package io.keel.backend.grpc;

import io.keel.api.etcdserverpb.LeaseGrpcClient;
import io.keel.api.etcdserverpb.LeaseKeepAliveRequest;
import io.keel.api.etcdserverpb.LeaseKeepAliveResponse;
import io.keel.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.keel.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.keel.server.errors.EtcdError;
import io.keel.server.lease.LeaseForwarder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.InvalidStatusException;

import java.net.URI;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Forwards keep-alives and time-to-live calls to the leader's client URL over gRPC (etcd forwards
 * them over its peer HTTP API; the answer a client sees is the same). One keep-alive is one short
 * stream: a request, the leader's answer, the end. Owns its gRPC client; thread-safe.
 */
public final class GrpcLeaseForwarder implements LeaseForwarder, AutoCloseable {
    private final GrpcClient client;

    public GrpcLeaseForwarder(Vertx vertx, long timeoutMillis) {
        this.client = GrpcClient.client(vertx, new GrpcClientOptions()
                .setTimeout((int) timeoutMillis).setTimeoutUnit(TimeUnit.MILLISECONDS)
                .setScheduleDeadlineAutomatically(true));
    }

    @Override
    public CompletionStage<LeaseKeepAliveResponse> keepAlive(URI leaderClientUrl, long leaseId) {
        Future<LeaseKeepAliveResponse> answer = client.request(address(leaderClientUrl), LeaseGrpcClient.LeaseKeepAlive)
                .compose(req -> req.end(LeaseKeepAliveRequest.newBuilder().setID(leaseId).build())
                        .compose(v -> req.response())
                        .compose(resp -> resp.last()));
        return answer.recover(GrpcLeaseForwarder::asEtcdError).toCompletionStage();
    }

    @Override
    public CompletionStage<LeaseTimeToLiveResponse> timeToLive(URI leaderClientUrl, LeaseTimeToLiveRequest request) {
        return LeaseGrpcClient.create(client, address(leaderClientUrl)).leaseTimeToLive(request)
                .recover(GrpcLeaseForwarder::asEtcdError).toCompletionStage();
    }

    /**
     * What a client of this member sees when the hop to the leader fails: etcd's error for the
     * leader's status (the grpc-message is not kept by the client, the code is), or etcd's
     * connection-lost timeout. UNAVAILABLE answers let etcd's and jetcd's clients retry, as they
     * do when etcd's own forwarding fails; nothing surfaces as UNKNOWN.
     */
    static <T> Future<T> asEtcdError(Throwable t) {
        EtcdError error = EtcdError.TIMEOUT_DUE_TO_CONNECTION_LOST;
        if (t instanceof InvalidStatusException invalid) {
            error = switch (invalid.actualStatus()) {
                case NOT_FOUND -> EtcdError.LEASE_NOT_FOUND;
                case RESOURCE_EXHAUSTED -> EtcdError.TOO_MANY_REQUESTS;
                case UNAVAILABLE -> EtcdError.LEADER_CHANGED; // it no longer leads, or cannot tell now
                default -> EtcdError.TIMEOUT;
            };
        }
        return Future.failedFuture(error.exception());
    }

    private static SocketAddress address(URI url) {
        return SocketAddress.inetSocketAddress(url.getPort(), url.getHost());
    }

    @Override
    public void close() {
        client.close();
    }
}
