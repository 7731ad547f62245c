package io.keel.backend.admin;

import io.keel.api.etcdserverpb.LeaseRevokeRequest;
import io.keel.api.etcdserverpb.LeaseStatus;
import io.keel.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.keel.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.keel.server.ServerBackends;
import io.keel.server.errors.EtcdError;
import io.keel.server.errors.EtcdException;
import io.keel.server.lease.LeaseBackend;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The console's lease screen: every lease with its granted and remaining TTL and attached keys,
 * and revoke with a dry run. It goes through the member's {@link LeaseBackend} exactly as the
 * LeaseLeases and LeaseTimeToLive RPCs do, so a follower's time-to-live calls are answered by the
 * leader's lessor (the only one that knows remaining TTLs). Event loop; thread-safe.
 */
final class LeaseActions {
    /** The console shows at most this many leases (the lowest ids): each one costs a TTL call. */
    static final int MAX_LISTED = 500;
    /** At most this many keys of one lease are listed; the count is always exact. */
    static final int MAX_KEYS_SHOWN = 100;
    /** TTL calls in flight at once, well under the gRPC hand-off's bound. */
    private static final int CONCURRENT_CALLS = 16;
    private final ServerBackends backends;

    LeaseActions(ServerBackends backends) {
        this.backends = backends;
    }

    Future<JsonObject> list() {
        LeaseBackend lease = lease();
        return AdminReply.on(lease.leases()).compose(r -> {
            List<Long> ids = r.getLeasesList().stream().map(LeaseStatus::getID).sorted().limit(MAX_LISTED).toList();
            JsonArray rows = new JsonArray();
            Future<Void> chain = Future.succeededFuture();
            for (int from = 0; from < ids.size(); from += CONCURRENT_CALLS) {
                List<Long> batch = ids.subList(from, Math.min(ids.size(), from + CONCURRENT_CALLS));
                chain = chain.compose(x -> {
                    List<Future<JsonObject>> calls = new ArrayList<>();
                    batch.forEach(id -> calls.add(timeToLive(lease, id)));
                    return Future.all(calls).map(all -> {
                        calls.forEach(c -> {
                            if (c.result() != null) { // revoked between the list and this call
                                rows.add(c.result());
                            }
                        });
                        return null;
                    });
                });
            }
            return chain.map(x -> new JsonObject().put("leases", rows).put("total", r.getLeasesCount())
                    .put("revision", r.getHeader().getRevision()));
        });
    }

    /** Revokes lease {@code id}; the dry run checks that it exists and says which keys go with it. */
    Future<JsonObject> revoke(long id, boolean dryRun) {
        LeaseBackend lease = lease();
        if (dryRun) {
            return timeToLive(lease, id).map(row -> {
                if (row == null) {
                    throw new EtcdException(EtcdError.LEASE_NOT_FOUND);
                }
                JsonArray keys = row.getJsonArray("keys");
                String which = keys.isEmpty() ? "" : ": " + String.join(", ", keys.stream().map(String::valueOf)
                        .limit(10).toList()) + (row.getInteger("keyCount") > 10 ? ", ..." : "");
                return result(true, "would revoke lease " + hex(id) + " (" + row.getLong("ttl") + " s left) and delete its "
                        + row.getInteger("keyCount") + " attached key(s)" + which);
            });
        }
        return AdminReply.on(lease.revoke(LeaseRevokeRequest.newBuilder().setID(id).build()))
                .map(r -> result(false, "revoked lease " + hex(id)).put("revision", r.getHeader().getRevision()));
    }

    /** The lease as a row, or null when it no longer exists (etcd's TTL -1). */
    private static Future<JsonObject> timeToLive(LeaseBackend lease, long id) {
        return AdminReply.on(lease.timeToLive(LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(true).build()))
                .map(LeaseActions::row);
    }

    static JsonObject row(LeaseTimeToLiveResponse r) {
        if (r.getTTL() == -1) {
            return null;
        }
        JsonArray keys = new JsonArray();
        r.getKeysList().stream().limit(MAX_KEYS_SHOWN).forEach(k -> keys.add(k.toStringUtf8()));
        return new JsonObject().put("id", hex(r.getID())).put("grantedTTL", r.getGrantedTTL()).put("ttl", r.getTTL())
                .put("keys", keys).put("keyCount", r.getKeysCount());
    }

    /** As etcdctl prints lease ids (JavaScript numbers cannot hold every 64-bit id). */
    static String hex(long id) {
        return Long.toHexString(id);
    }

    private LeaseBackend lease() {
        return backends.lease().orElseThrow(() -> new EtcdException(EtcdError.NOT_CAPABLE));
    }

    private static JsonObject result(boolean dryRun, String summary) {
        return new JsonObject().put("ok", true).put("dryRun", dryRun).put("summary", summary);
    }
}
