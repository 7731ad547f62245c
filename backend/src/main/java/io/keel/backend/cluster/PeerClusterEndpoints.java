package io.keel.backend.cluster;

import io.keel.api.etcdserverpb.Member;
import io.keel.api.etcdserverpb.MemberPromoteRequest;
import io.keel.server.cluster.ClusterBackend;
import io.keel.server.errors.EtcdException;
import io.keel.server.membership.MemberIds;
import io.keel.server.membership.MemberStore;
import io.keel.server.membership.MembersJson;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;

/**
 * etcd's plain-HTTP peer endpoints on the peer port: {@code GET /members} (what a member started
 * with {@code --initial-cluster-state existing} fetches, with the cluster id in
 * {@code X-Etcd-Cluster-ID}) and {@code POST /members/promote/<id>} (a follower forwarding
 * MemberPromote to the leader). Runs on event loops; never blocks (the member list is an
 * in-memory snapshot, promote completes asynchronously). Thread-safe.
 */
public final class PeerClusterEndpoints implements Handler<HttpServerRequest> {
    static final String CLUSTER_ID_HEADER = "X-Etcd-Cluster-ID";
    static final String PROMOTE_PREFIX = "/members/promote/";
    /** The status a refused promote carries; its body is etcd's error text. */
    static final int PROMOTE_REFUSED = 412;

    private final MemberStore members;
    private final long clusterId;
    private final ClusterBackend cluster;

    public PeerClusterEndpoints(MemberStore members, long clusterId, ClusterBackend cluster) {
        this.members = members;
        this.clusterId = clusterId;
        this.cluster = cluster;
    }

    @Override
    public void handle(HttpServerRequest req) {
        String path = req.path();
        if (req.method() == HttpMethod.GET && "/members".equals(path)) {
            reply(req, 200, MembersJson.encode(members.list()));
        } else if (req.method() == HttpMethod.POST && path.startsWith(PROMOTE_PREFIX)) {
            promote(req, path.substring(PROMOTE_PREFIX.length()));
        } else {
            req.response().setStatusCode(404).end("404 page not found\n");
        }
    }

    private void promote(HttpServerRequest req, String idText) {
        long id;
        try {
            id = Long.parseUnsignedLong(idText, 16);
        } catch (NumberFormatException e) {
            req.response().setStatusCode(400).end("bad member id " + idText);
            return;
        }
        cluster.memberPromote(MemberPromoteRequest.newBuilder().setID(id).build()).whenComplete((r, err) -> {
            if (err == null) {
                List<Member> now = r.getMembersList();
                reply(req, 200, MembersJson.encode(now));
                return;
            }
            Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                    ? err.getCause() : err;
            String text = cause instanceof EtcdException e ? e.getMessage() : String.valueOf(cause.getMessage());
            reply(req, PROMOTE_REFUSED, text);
        });
    }

    private void reply(HttpServerRequest req, int status, String body) {
        req.response().setStatusCode(status).putHeader(CLUSTER_ID_HEADER, MemberIds.toHex(clusterId))
                .putHeader("content-type", status == 200 ? "application/json" : "text/plain; charset=utf-8")
                .end(body);
    }
}
