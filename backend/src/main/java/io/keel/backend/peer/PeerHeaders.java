package io.keel.backend.peer;

import io.vertx.core.MultiMap;

/**
 * The request headers that name a peer call's cluster and members, and their check on receipt
 * (etcd's rafthttp sends the same facts as X-Etcd-Cluster-ID, X-Server-From, X-Raft-To).
 * Stateless; thread-safe.
 */
final class PeerHeaders {
    static final String CLUSTER_ID = "keel-cluster-id";
    static final String FROM = "keel-from";
    static final String TO = "keel-to";

    private PeerHeaders() {
    }

    static void stamp(MultiMap headers, PeerTransportConfig config, long toPeerId) {
        headers.set(CLUSTER_ID, Long.toHexString(config.clusterId()));
        headers.set(FROM, Long.toHexString(config.localMemberId()));
        headers.set(TO, Long.toHexString(toPeerId));
    }

    /** Why a call must be refused, or null when it is for this member of this cluster. */
    static String refusal(MultiMap headers, PeerTransportConfig config) {
        if (!Long.toHexString(config.clusterId()).equals(headers.get(CLUSTER_ID))) {
            return "cluster ID mismatch";
        }
        if (!Long.toHexString(config.localMemberId()).equals(headers.get(TO))) {
            return "member ID mismatch";
        }
        return null;
    }
}
