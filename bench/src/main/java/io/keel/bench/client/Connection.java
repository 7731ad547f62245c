package io.keel.bench.client;

import io.keel.api.etcdserverpb.KVGrpcClient;
import io.keel.api.etcdserverpb.LeaseGrpcClient;
import io.keel.api.etcdserverpb.MaintenanceGrpcClient;
import io.keel.api.etcdserverpb.WatchGrpcClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;

/**
 * One HTTP/2 connection to one endpoint (a gRPC client whose pool holds a single connection, so
 * {@code --conns N} means N TCP connections, as in etcd's benchmark) and the etcd v3 stubs that
 * share it. The stubs are thread-safe; {@link #close()} once, by the owner of the run.
 */
public final class Connection implements AutoCloseable {
    private final GrpcClient grpc;
    public final SocketAddress endpoint;
    public final KVGrpcClient kv;
    public final WatchGrpcClient watch;
    public final LeaseGrpcClient lease;
    public final MaintenanceGrpcClient maintenance;

    Connection(Vertx vertx, SocketAddress endpoint) {
        this.endpoint = endpoint;
        // Vert.x keeps one HTTP/2 connection per host by default (PoolOptions' HTTP/2 max size 1).
        HttpClientOptions http = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false)
                // etcd's default stream limit per connection is far above any run here; let the
                // server's SETTINGS decide rather than a client-side cap.
                .setHttp2MultiplexingLimit(-1)
                .setTcpNoDelay(true);
        this.grpc = GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(64 * 1024 * 1024), http);
        this.kv = KVGrpcClient.create(grpc, endpoint);
        this.watch = WatchGrpcClient.create(grpc, endpoint);
        this.lease = LeaseGrpcClient.create(grpc, endpoint);
        this.maintenance = MaintenanceGrpcClient.create(grpc, endpoint);
    }

    @Override
    public void close() {
        grpc.close().await();
    }
}
