package io.keel.bench.client;

import io.keel.api.etcdserverpb.StatusRequest;
import io.keel.api.etcdserverpb.StatusResponse;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.SocketAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The connections of one run: {@code conns} connections dealt round-robin over the endpoints (or
 * all to the leader with {@code --target-leader}), and {@code clients} logical clients dealt
 * round-robin over the connections, as etcd's benchmark does. Owned by the run's main thread;
 * the connections themselves are thread-safe.
 */
public final class Connections implements AutoCloseable {
    private final Vertx vertx;
    private final List<Connection> conns = new ArrayList<>();

    private Connections(Vertx vertx) {
        this.vertx = vertx;
    }

    public static Connections open(List<SocketAddress> endpoints, int conns, boolean targetLeader) {
        if (conns < 1) {
            throw new IllegalArgumentException("--conns must be positive");
        }
        // Two event loops are plenty for a client on a small machine; more only add hand-offs.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2));
        Connections c = new Connections(vertx);
        List<SocketAddress> targets = targetLeader ? List.of(c.findLeader(endpoints)) : endpoints;
        for (int i = 0; i < conns; i++) {
            c.conns.add(new Connection(vertx, targets.get(i % targets.size())));
        }
        return c;
    }

    /** The connection logical client {@code client} uses. */
    public Connection forClient(int client) {
        return conns.get(client % conns.size());
    }

    public int size() {
        return conns.size();
    }

    public Vertx vertx() {
        return vertx;
    }

    // Asks each endpoint's Status which member leads, then picks the endpoint that is that member.
    private SocketAddress findLeader(List<SocketAddress> endpoints) {
        long leader = 0;
        List<StatusResponse> answers = new ArrayList<>();
        for (SocketAddress ep : endpoints) {
            try (Connection probe = new Connection(vertx, ep)) {
                StatusResponse s = probe.maintenance.status(StatusRequest.getDefaultInstance())
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                answers.add(s);
                if (s.getLeader() != 0) {
                    leader = s.getLeader();
                }
            } catch (Exception e) {
                answers.add(null);
            }
        }
        for (int i = 0; i < endpoints.size(); i++) {
            StatusResponse s = answers.get(i);
            if (s != null && leader != 0 && s.getHeader().getMemberId() == leader) {
                return endpoints.get(i);
            }
        }
        throw new IllegalStateException("no endpoint is the leader (leader id " + Long.toHexString(leader) + ")");
    }

    @Override
    public void close() {
        for (Connection c : conns) {
            c.close();
        }
        vertx.close().await();
    }
}
