package io.keel.backend.corrupt;

import io.keel.api.etcdserverpb.HashKVRequest;
import io.keel.api.etcdserverpb.HashKVResponse;
import io.keel.api.etcdserverpb.Member;
import io.keel.api.etcdserverpb.MaintenanceGrpcClient;
import io.keel.server.corrupt.PeerHash;
import io.keel.server.corrupt.PeerHashSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Fetches the other members' HashKV over their client URLs with etcd's own Maintenance/HashKV
 * (etcd asks over its peer HTTP API; Keel's peer port speaks only Raft). Each peer's URLs are
 * tried in order until one answers within the timeout. A learner peer refuses HashKV (learner
 * restrictions) and so counts as not answering. Owned by the member; thread-safe; never blocks.
 */
public final class GrpcPeerHashes implements PeerHashSource, AutoCloseable {
    private final GrpcClient client;
    private final long selfId;
    private final Supplier<List<Member>> members;
    private final long timeoutMillis;

    public GrpcPeerHashes(Vertx vertx, long selfId, Supplier<List<Member>> members, long timeoutMillis) {
        this.client = GrpcClient.client(vertx, new GrpcClientOptions(),
                new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
        this.selfId = selfId;
        this.members = members;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public CompletionStage<List<PeerHash>> hashesAt(long revision) {
        List<Future<PeerHash>> all = new ArrayList<>();
        for (Member m : members.get()) {
            if (m.getID() != selfId) {
                all.add(m.getClientURLsCount() > 0 ? ask(m, m.getClientURLsList(), 0, revision, null)
                        : Future.succeededFuture(PeerHash.failed(m.getID(),
                                new IllegalStateException("the member has not published its client URLs yet"))));
            }
        }
        return Future.join(all).transform(ar -> Future.succeededFuture(all.stream().map(Future::result).toList()))
                .toCompletionStage();
    }

    private Future<PeerHash> ask(Member m, List<String> urls, int i, long revision, Throwable last) {
        if (i >= urls.size()) {
            return Future.succeededFuture(PeerHash.failed(m.getID(), last));
        }
        URI url = URI.create(urls.get(i));
        MaintenanceGrpcClient stub = MaintenanceGrpcClient.create(client,
                SocketAddress.inetSocketAddress(url.getPort(), url.getHost()));
        Future<HashKVResponse> call = stub.hashKV(HashKVRequest.newBuilder().setRevision(revision).build())
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS);
        return call.map(r -> PeerHash.of(m.getID(), r))
                .recover(t -> ask(m, urls, i + 1, revision, t));
    }

    @Override
    public void close() {
        client.close();
    }
}
