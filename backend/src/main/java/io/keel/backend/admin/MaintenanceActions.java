package io.keel.backend.admin;

import io.keel.api.etcdserverpb.AlarmMember;
import io.keel.api.etcdserverpb.AlarmRequest;
import io.keel.api.etcdserverpb.AlarmType;
import io.keel.api.etcdserverpb.CompactionRequest;
import io.keel.api.etcdserverpb.DefragmentRequest;
import io.keel.api.etcdserverpb.Member;
import io.keel.api.etcdserverpb.MemberListRequest;
import io.keel.server.ServerBackends;
import io.keel.server.membership.MemberIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Alarms, compaction and defragment for the console. Alarms are cluster state (changed through
 * Raft), so any member lists and disarms them. Defragment is per member: this member's own runs
 * on its back end's blocking pool; the others' are asked over their admin API, one member at a
 * time, as etcd advises (a defragmenting member stalls). Before defragmenting another member it
 * waits until that member has applied the compaction this one has (its compact revision), so the
 * space the compaction freed is really given back. Event loop; thread-safe.
 */
final class MaintenanceActions {
    private final ServerBackends backends;
    private final long localId;
    private final ClusterOverview overview;
    private final MemberHttp http;
    private final Vertx vertx;
    /** How long a member may take to apply our compaction before it is defragmented anyway. */
    static final long COMPACTION_WAIT_MILLIS = 60_000;
    private static final long COMPACTION_POLL_MILLIS = 200;

    MaintenanceActions(Vertx vertx, ServerBackends backends, long localId, ClusterOverview overview, MemberHttp http) {
        this.vertx = vertx;
        this.backends = backends;
        this.localId = localId;
        this.overview = overview;
        this.http = http;
    }

    Future<JsonObject> alarms() {
        return AdminReply.on(AdminApi.maintenance(backends).alarm(AlarmRequest.newBuilder()
                .setAction(AlarmRequest.AlarmAction.GET).setAlarm(AlarmType.NONE).build())).map(r -> {
                    JsonArray out = new JsonArray();
                    for (AlarmMember a : r.getAlarmsList()) {
                        out.add(new JsonObject().put("memberId", MemberIds.toHex(a.getMemberID()))
                                .put("alarm", a.getAlarm().name()));
                    }
                    return new JsonObject().put("alarms", out);
                });
    }

    Future<JsonObject> disarm(JsonObject body) {
        long member = Long.parseUnsignedLong(MembershipActions.require(body, "memberId"), 16);
        AlarmType type = AlarmType.valueOf(MembershipActions.require(body, "alarm"));
        return AdminReply.on(AdminApi.maintenance(backends).alarm(AlarmRequest.newBuilder()
                .setAction(AlarmRequest.AlarmAction.DEACTIVATE).setMemberID(member).setAlarm(type).build()))
                .compose(r -> alarms());
    }

    /** Compacts to {@code revision}, or to the current revision minus {@code keepLast}. */
    Future<JsonObject> compact(JsonObject body) {
        return overview.localStatus().compose(s -> {
            long current = s.getLong("revision");
            long target = body.containsKey("keepLast") ? current - body.getLong("keepLast") : body.getLong("revision", 0L);
            if (target <= 0) {
                throw new IllegalArgumentException("nothing to compact: revision " + target);
            }
            return AdminReply.on(AdminApi.kv(backends).compact(CompactionRequest.newBuilder().setRevision(target)
                    .setPhysical(true).build())).map(r -> new JsonObject().put("compactedTo", target)
                    .put("revision", r.getHeader().getRevision()));
        });
    }

    /** Defragments this member; reports db size and in-use bytes before and after. */
    Future<JsonObject> defragmentLocal() {
        return overview.localStatus().compose(before -> AdminReply.on(AdminApi.maintenance(backends)
                        .defragment(DefragmentRequest.getDefaultInstance()))
                .compose(r -> overview.localStatus())
                .map(after -> new JsonObject().put("id", MemberIds.toHex(localId))
                        .put("dbSizeBefore", before.getLong("dbSize")).put("dbSizeAfter", after.getLong("dbSize"))
                        .put("dbSizeInUseBefore", before.getLong("dbSizeInUse"))
                        .put("dbSizeInUseAfter", after.getLong("dbSizeInUse"))));
    }

    /** Defragments one member (by hex id) or, without one, every started member in turn. */
    Future<JsonObject> defragment(JsonObject body) {
        String only = body.getString("memberId", "");
        return AdminReply.on(AdminApi.cluster(backends).memberList(MemberListRequest.getDefaultInstance()))
                .compose(list -> {
                    List<Member> targets = list.getMembersList().stream()
                            .filter(m -> only.isEmpty() || MemberIds.toHex(m.getID()).equals(only)).toList();
                    if (targets.isEmpty()) {
                        throw new IllegalArgumentException("no such member: " + only);
                    }
                    JsonArray results = new JsonArray();
                    Future<Void> chain = Future.succeededFuture();
                    for (Member m : targets) {
                        chain = chain.compose(x -> defragmentOne(m).map(r -> {
                            results.add(r.put("name", m.getName()));
                            return null;
                        }));
                    }
                    return chain.map(x -> new JsonObject().put("results", results));
                });
    }

    private Future<JsonObject> defragmentOne(Member m) {
        if (m.getID() == localId) {
            return defragmentLocal();
        }
        if (m.getClientURLsCount() == 0) {
            return Future.succeededFuture(new JsonObject().put("id", MemberIds.toHex(m.getID()))
                    .put("error", "not started"));
        }
        String url = m.getClientURLs(0);
        return overview.localStatus()
                .compose(local -> awaitCompacted(url, local.getLong("compactRevision"),
                        System.nanoTime() + COMPACTION_WAIT_MILLIS * 1_000_000))
                .compose(compacted -> http.call(url, HttpMethod.POST, "/api/local/defragment", new JsonObject(), 120_000)
                        .map(r -> r.put("compactRevision", compacted)))
                .otherwise(t -> new JsonObject().put("id", MemberIds.toHex(m.getID()))
                        .put("error", String.valueOf(t.getMessage())));
    }

    /** Completes with the member's compact revision once it reaches {@code target} (or the deadline passes). */
    private Future<Long> awaitCompacted(String url, long target, long deadlineNanos) {
        return http.call(url, HttpMethod.GET, "/api/local/status", null, MemberHttp.TIMEOUT_MILLIS).compose(s -> {
            long compacted = s.getLong("compactRevision", 0L);
            if (compacted >= target || System.nanoTime() - deadlineNanos > 0) {
                return Future.succeededFuture(compacted);
            }
            return vertx.timer(COMPACTION_POLL_MILLIS).compose(x -> awaitCompacted(url, target, deadlineNanos));
        });
    }
}
