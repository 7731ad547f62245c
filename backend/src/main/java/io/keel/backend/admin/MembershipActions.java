package io.keel.backend.admin;

import io.keel.api.etcdserverpb.Member;
import io.keel.api.etcdserverpb.MemberAddRequest;
import io.keel.api.etcdserverpb.MemberListRequest;
import io.keel.api.etcdserverpb.MemberPromoteRequest;
import io.keel.api.etcdserverpb.MemberRemoveRequest;
import io.keel.api.etcdserverpb.MoveLeaderRequest;
import io.keel.api.etcdserverpb.StatusRequest;
import io.keel.server.ServerBackends;
import io.keel.server.cluster.ClusterBackend;
import io.keel.server.membership.MemberIds;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Membership actions of the console: add (as a learner unless told otherwise), promote, remove,
 * move leader. Each has a dry run that applies exactly the checks of the real call (the back
 * ends' {@code plan*} methods, which the real calls run first) and says what would happen.
 * Promote and move-leader are decided by the leader (only it knows a learner's progress, only it
 * can hand over), so a follower passes them on to the leader's admin API. Event loop; thread-safe.
 */
final class MembershipActions {
    static final String FORWARDED_HEADER = "X-Keel-Forwarded";
    private final ServerBackends backends;
    private final long localId;
    private final MemberHttp http;

    MembershipActions(ServerBackends backends, long localId, MemberHttp http) {
        this.backends = backends;
        this.localId = localId;
        this.http = http;
    }

    Future<JsonObject> add(JsonObject body) {
        String name = require(body, "name");
        String peerUrl = require(body, "peerURL");
        String clientUrl = require(body, "clientURL");
        boolean learner = body.getBoolean("learner", true);
        boolean dryRun = body.getBoolean("dryRun", false);
        MemberAddRequest req = MemberAddRequest.newBuilder().addPeerURLs(peerUrl).setIsLearner(learner).build();
        ClusterBackend cluster = AdminApi.cluster(backends);
        return AdminReply.on(cluster.memberList(MemberListRequest.getDefaultInstance())).compose(list -> {
            String command = commandLine(name, peerUrl, clientUrl, list.getMembersList());
            String what = name + " (" + peerUrl + ") as a " + (learner ? "learner" : "voting member");
            if (dryRun) {
                return AdminReply.on(cluster.planAdd(req)).map(m -> result(true, "would add " + what)
                        .put("id", MemberIds.toHex(m.getID())).put("command", command));
            }
            return AdminReply.on(cluster.memberAdd(req)).map(r -> result(false, "added " + what)
                    .put("id", MemberIds.toHex(r.getMember().getID())).put("command", command));
        });
    }

    Future<JsonObject> remove(long id, boolean dryRun) {
        ClusterBackend cluster = AdminApi.cluster(backends);
        if (dryRun) {
            return AdminReply.on(cluster.planRemove(id)).map(m -> result(true, "would remove " + describe(m)));
        }
        return AdminReply.on(cluster.memberRemove(MemberRemoveRequest.newBuilder().setID(id).build()))
                .map(r -> result(false, "removed member " + MemberIds.toHex(id)));
    }

    Future<JsonObject> promote(long id, boolean dryRun, boolean forwarded, String path, JsonObject body) {
        return onLeader(forwarded, path, body, () -> {
            ClusterBackend cluster = AdminApi.cluster(backends);
            if (dryRun) {
                return AdminReply.on(cluster.planPromote(id)).map(m -> result(true,
                        "would promote " + describe(m) + " to a voting member"));
            }
            return AdminReply.on(cluster.memberPromote(MemberPromoteRequest.newBuilder().setID(id).build()))
                    .map(r -> result(false, "promoted member " + MemberIds.toHex(id)));
        });
    }

    Future<JsonObject> moveLeader(long id, boolean dryRun, boolean forwarded, String path, JsonObject body) {
        return onLeader(forwarded, path, body, () -> {
            var maintenance = AdminApi.maintenance(backends);
            if (dryRun) {
                return AdminReply.on(maintenance.planMoveLeader(id)).map(m -> result(true,
                        "would hand leadership to " + describe(m)));
            }
            return AdminReply.on(maintenance.moveLeader(MoveLeaderRequest.newBuilder().setTargetID(id).build()))
                    .map(r -> result(false, "leadership moved to " + MemberIds.toHex(id)));
        });
    }

    /** Runs {@code action} here when this member leads, else on the leader through its admin API. */
    private Future<JsonObject> onLeader(boolean forwarded, String path, JsonObject body,
                                        java.util.function.Supplier<Future<JsonObject>> action) {
        return AdminReply.on(AdminApi.maintenance(backends).status(StatusRequest.getDefaultInstance())).compose(s -> {
            if (s.getLeader() == localId || forwarded || s.getLeader() == 0) {
                return action.get(); // no leader known: the local checks give etcd's error
            }
            return AdminReply.on(AdminApi.cluster(backends).memberList(MemberListRequest.getDefaultInstance()))
                    .compose(list -> {
                        Member leader = list.getMembersList().stream().filter(m -> m.getID() == s.getLeader())
                                .findFirst().orElse(null);
                        if (leader == null || leader.getClientURLsCount() == 0) {
                            return action.get();
                        }
                        return http.call(leader.getClientURLs(0), HttpMethod.POST, path + "?forwarded=1", body,
                                30_000);
                    });
        });
    }

    /** The command that starts the new member, as etcd's `member add` prints its environment. */
    static String commandLine(String name, String peerUrl, String clientUrl, List<Member> existing) {
        List<String> cluster = new ArrayList<>();
        for (Member m : existing) {
            if (!m.getName().isEmpty() && m.getPeerURLsCount() > 0) {
                cluster.add(m.getName() + "=" + m.getPeerURLs(0));
            }
        }
        cluster.add(name + "=" + peerUrl);
        return "bin/keel --name " + name + " --data-dir " + name + ".keel"
                + " --listen-client-urls " + clientUrl + " --advertise-client-urls " + clientUrl
                + " --listen-peer-urls " + peerUrl + " --initial-advertise-peer-urls " + peerUrl
                + " --initial-cluster " + String.join(",", cluster) + " --initial-cluster-state existing";
    }

    private static String describe(Member m) {
        return (m.getName().isEmpty() ? "unstarted member" : m.getName()) + " (" + MemberIds.toHex(m.getID()) + ")";
    }

    private static JsonObject result(boolean dryRun, String summary) {
        return new JsonObject().put("ok", true).put("dryRun", dryRun).put("summary", summary);
    }

    static String require(JsonObject body, String field) {
        String v = body.getString(field, "").trim();
        if (v.isEmpty()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return v;
    }
}
