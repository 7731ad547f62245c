package io.keel.backend.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.grpc.server.GrpcServer;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client listener coalesces flushes, and frames written outside a read still all arrive. */
class FlushCoalescingTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void chunksWrittenFromTasksAllArriveOverHttp2AndHttp1() throws Exception {
        ClientListener listener = new ClientListener(vertx, URI.create("http://127.0.0.1:0"), GrpcServer.server(vertx),
                req -> {
                    boolean installed = ((io.vertx.core.net.impl.ConnectionBase) req.connection()).channel()
                            .pipeline().get(FlushCoalescing.NAME) != null;
                    HttpServerResponse resp = req.response().setChunked(true);
                    resp.write("installed=" + installed + ";");
                    // Written from tasks, outside the read: each write asks for a flush of its own.
                    writeChunks(resp, 0);
                });
        int port = listener.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        try {
            for (HttpVersion version : new HttpVersion[] {HttpVersion.HTTP_2, HttpVersion.HTTP_1_1}) {
                HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(version)
                        .setHttp2ClearTextUpgrade(false));
                String body = client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                                .setPort(port).setURI("/x"))
                        .compose(r -> r.send().compose(HttpClientResponse::body))
                        .map(Buffer::toString)
                        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                StringBuilder expected = new StringBuilder("installed=true;");
                for (int i = 0; i < CHUNKS; i++) {
                    expected.append(i).append(',');
                }
                assertThat(body).as(version.name()).isEqualTo(expected.toString());
                client.close();
            }
        } finally {
            listener.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static final int CHUNKS = 500;

    private void writeChunks(HttpServerResponse resp, int from) {
        vertx.getOrCreateContext().runOnContext(v -> {
            int to = Math.min(CHUNKS, from + 50);
            for (int i = from; i < to; i++) {
                resp.write(i + ",");
            }
            if (to == CHUNKS) {
                resp.end();
            } else {
                writeChunks(resp, to);
            }
        });
    }
}
