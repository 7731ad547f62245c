package io.keel.backend.grpc;

import io.keel.api.etcdserverpb.LeaseGrpcClient;
import io.keel.api.etcdserverpb.LeaseKeepAliveRequest;
import io.keel.api.etcdserverpb.LeaseKeepAliveResponse;
import io.keel.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.keel.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.keel.server.lease.LeaseForwarder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;

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
        return answer.toCompletionStage();
    }

    @Override
    public CompletionStage<LeaseTimeToLiveResponse> timeToLive(URI leaderClientUrl, LeaseTimeToLiveRequest request) {
        return LeaseGrpcClient.create(client, address(leaderClientUrl)).leaseTimeToLive(request).toCompletionStage();
    }

    private static SocketAddress address(URI url) {
        return SocketAddress.inetSocketAddress(url.getPort(), url.getHost());
    }

    @Override
    public void close() {
        client.close();
    }
}
