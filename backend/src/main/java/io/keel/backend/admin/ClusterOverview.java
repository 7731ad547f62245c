package io.keel.backend.admin;

import io.keel.api.etcdserverpb.Member;
import io.keel.api.etcdserverpb.MemberListRequest;
import io.keel.api.etcdserverpb.StatusRequest;
import io.keel.api.etcdserverpb.StatusResponse;
import io.keel.server.ServerBackends;
import io.keel.server.membership.MemberIds;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The console's cluster overview: every member with its URLs, role, health and Raft progress.
 * This member answers for itself from its own back ends; the others are asked for their
 * {@code /api/local/status} on their client URLs, concurrently, each with a timeout, so one dead
 * member shows as unhealthy instead of stalling the page. Runs on the event loop; thread-safe.
 */
final class ClusterOverview {
    private final ServerBackends backends;
    private final long localId;
    private final LongSupplier compactRevision;
    private final MemberHttp http;

    ClusterOverview(ServerBackends backends, long localId, LongSupplier compactRevision, MemberHttp http) {
        this.backends = backends;
        this.localId = localId;
        this.compactRevision = compactRevision;
        this.http = http;
    }

    /** This member's own status, as JSON; also what other members fetch from us. */
    Future<JsonObject> localStatus() {
        return AdminReply.on(AdminApi.maintenance(backends).status(StatusRequest.getDefaultInstance()))
                .map(s -> statusJson(s).put("compactRevision", compactRevision.getAsLong()));
    }

    static JsonObject statusJson(StatusResponse s) {
        return new JsonObject().put("id", MemberIds.toHex(s.getHeader().getMemberId()))
                .put("version", s.getVersion()).put("dbSize", s.getDbSize()).put("dbSizeInUse", s.getDbSizeInUse())
                .put("leader", MemberIds.toHex(s.getLeader())).put("raftTerm", s.getRaftTerm())
                .put("raftIndex", s.getRaftIndex()).put("appliedIndex", s.getRaftAppliedIndex())
                .put("revision", s.getHeader().getRevision()).put("isLearner", s.getIsLearner())
                .put("errors", new JsonArray(new ArrayList<>(s.getErrorsList())));
    }

    /** Every member of the cluster, with the status each one reports about itself. */
    Future<JsonObject> overview() {
        return AdminReply.on(AdminApi.cluster(backends).memberList(MemberListRequest.getDefaultInstance()))
                .compose(list -> {
                    List<Member> members = list.getMembersList();
                    List<Future<JsonObject>> statuses = new ArrayList<>();
                    for (Member m : members) {
                        statuses.add(statusOf(m).map(s -> s.put("healthy", true))
                                .otherwise(t -> new JsonObject().put("healthy", false)
                                        .put("error", String.valueOf(AdminReply.unwrap(t).getMessage()))));
                    }
                    return Future.join(statuses).map(x -> assemble(list.getHeader().getClusterId(), members, statuses));
                });
    }

    private Future<JsonObject> statusOf(Member m) {
        if (m.getID() == localId) {
            return localStatus();
        }
        if (m.getClientURLsCount() == 0) {
            return Future.failedFuture(new IllegalStateException("not started: the member has not published its name "
                    + "and client URLs yet"));
        }
        return http.call(m.getClientURLs(0), HttpMethod.GET, "/api/local/status", null, MemberHttp.TIMEOUT_MILLIS);
    }

    private JsonObject assemble(long clusterId, List<Member> members, List<Future<JsonObject>> statuses) {
        String leader = "";
        long leaderIndex = 0;
        long leaderTerm = -1;
        // The leader is whoever the member with the highest term names; a partitioned old leader
        // must not win.
        for (Future<JsonObject> f : statuses) {
            JsonObject s = f.result();
            if (s.getBoolean("healthy") && s.getLong("raftTerm") > leaderTerm && !"0".equals(s.getString("leader"))) {
                leaderTerm = s.getLong("raftTerm");
                leader = s.getString("leader");
            }
        }
        for (Future<JsonObject> f : statuses) {
            JsonObject s = f.result();
            if (s.getBoolean("healthy") && leader.equals(s.getString("id"))) {
                leaderIndex = s.getLong("raftIndex");
            }
        }
        JsonArray out = new JsonArray();
        int voters = 0;
        int healthyVoters = 0;
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            JsonObject s = statuses.get(i).result();
            String id = MemberIds.toHex(m.getID());
            String role = m.getIsLearner() ? "learner" : id.equals(leader) ? "leader" : "follower";
            JsonObject row = s.copy().put("id", id).put("name", m.getName()).put("role", role)
                    .put("isLearner", m.getIsLearner()).put("local", m.getID() == localId)
                    .put("peerURLs", new JsonArray(new ArrayList<>(m.getPeerURLsList())))
                    .put("clientURLs", new JsonArray(new ArrayList<>(m.getClientURLsList())));
            if (s.getBoolean("healthy") && leaderIndex > 0) {
                row.put("lag", Math.max(0, leaderIndex - s.getLong("appliedIndex")));
            }
            if (!m.getIsLearner()) {
                voters++;
                if (s.getBoolean("healthy")) {
                    healthyVoters++;
                }
            }
            out.add(row);
        }
        int quorum = voters / 2 + 1;
        return new JsonObject().put("clusterId", MemberIds.toHex(clusterId)).put("leader", leader)
                .put("raftTerm", leaderTerm).put("voters", voters).put("quorum", quorum)
                .put("healthyVoters", healthyVoters)
                .put("failureTolerance", Math.max(0, healthyVoters - quorum)).put("members", out);
    }
}
