package io.keel.server.corrupt;

import io.keel.api.etcdserverpb.HashKVResponse;

/**
 * One peer's answer to a HashKV request at a revision: its response, or why there is none.
 * Immutable; thread-safe.
 *
 * @param memberId the peer
 * @param response its HashKV response (header revision = its current revision), or null
 * @param error    null, or the failure (etcd's compacted / future revision errors included)
 */
public record PeerHash(long memberId, HashKVResponse response, Throwable error) {
    public static PeerHash of(long memberId, HashKVResponse response) {
        return new PeerHash(memberId, response, null);
    }

    public static PeerHash failed(long memberId, Throwable error) {
        return new PeerHash(memberId, null, error);
    }
}
