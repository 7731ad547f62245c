package io.keel.backend.cluster;

import io.keel.api.etcdserverpb.Member;
import io.keel.server.cluster.LeaderForwarder;
import io.keel.server.errors.EtcdError;
import io.keel.server.errors.EtcdException;
import io.keel.server.membership.ExistingCluster;
import io.keel.server.membership.MembersJson;
import io.vertx.core.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The calling side of {@link PeerClusterEndpoints}: fetches the cluster from the peers before a
 * member joins it, and forwards MemberPromote to the leader. Uses the JDK's HTTP client (its
 * own threads), so nothing here runs on an event loop. Thread-safe.
 */
public final class PeerClusterClient implements LeaderForwarder {
    /** etcd gives each peer 10 s to answer {@code GET /members}. */
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Built on first use: building initialises the JDK's default TLS context (key stores, trust
     * managers), a tenth of a restarted member's start-up CPU, and most members never call a peer
     * this way (only a joining member and a follower forwarding MemberPromote do).
     */
    private volatile HttpClient http;
    private final Duration requestTimeout;

    public PeerClusterClient(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    /**
     * The cluster as the first answering peer sees it; blocks (startup, before Raft runs).
     *
     * @throws IllegalStateException with etcd's message when no peer answers usefully
     */
    public ExistingCluster fetch(List<URI> peerUrls) {
        for (URI url : peerUrls.stream().sorted().toList()) {
            try {
                HttpResponse<String> r = http().send(HttpRequest.newBuilder(url.resolve("/members"))
                        .timeout(FETCH_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
                String cid = r.headers().firstValue(PeerClusterEndpoints.CLUSTER_ID_HEADER).orElse(null);
                if (r.statusCode() != 200 || cid == null) {
                    continue;
                }
                List<Member> members = MembersJson.decode(Json.decodeValue(r.body(), List.class));
                if (members.isEmpty()) {
                    throw new IllegalStateException("cannot fetch cluster info from peer urls: "
                            + "failed to get raft cluster member(s) from the given URLs");
                }
                return new ExistingCluster(Long.parseUnsignedLong(cid, 16), members);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.io.IOException | RuntimeException e) {
                if (e instanceof IllegalStateException) {
                    throw (IllegalStateException) e;
                }
                // As etcd: try the next peer.
            }
        }
        throw new IllegalStateException("cannot fetch cluster info from peer urls: "
                + "could not retrieve cluster information from the given URLs");
    }

    @Override
    public CompletionStage<List<Member>> promote(Member leader, long learnerId) {
        if (leader.getPeerURLsCount() == 0) {
            return CompletableFuture.failedFuture(new EtcdException(EtcdError.NO_LEADER));
        }
        URI url = URI.create(leader.getPeerURLs(0)).resolve(PeerClusterEndpoints.PROMOTE_PREFIX
                + Long.toHexString(learnerId));
        // Off the caller's thread: the first call builds the client (see above), and the caller may be an event loop.
        return CompletableFuture.supplyAsync(this::http)
                .thenCompose(client -> client.sendAsync(HttpRequest.newBuilder(url).timeout(requestTimeout)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()))
                .handle((r, err) -> {
                    if (err != null) {
                        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                                ? err.getCause() : err;
                        throw new EtcdException(cause instanceof java.net.http.HttpTimeoutException
                                ? EtcdError.TIMEOUT : EtcdError.LEADER_CHANGED);
                    }
                    if (r.statusCode() == 200) {
                        return MembersJson.decode(Json.decodeValue(r.body(), List.class));
                    }
                    throw new EtcdException(errorFor(r.body()));
                });
    }

    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null) {
                    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(FETCH_TIMEOUT).build();
                    http = client;
                }
            }
        }
        return client;
    }

    /** The error whose text the leader sent; etcd's followers map the leader's answer the same way. */
    static EtcdError errorFor(String text) {
        for (EtcdError e : EtcdError.values()) {
            if (e.message().equals(text)) {
                return e;
            }
        }
        return EtcdError.LEADER_CHANGED;
    }
}
