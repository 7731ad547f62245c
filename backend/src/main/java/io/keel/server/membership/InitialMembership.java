package io.keel.server.membership;

import io.keel.server.config.ServerConfig;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The membership a new cluster bootstraps with, derived from {@code --initial-cluster} and
 * {@code --initial-cluster-token} as etcd derives it. For {@code --initial-cluster-state existing}
 * the real cluster id comes from the running cluster; this is only the bootstrap view.
 * Immutable value; thread-safe.
 *
 * @param localMemberId this member's id
 * @param clusterId     the cluster id of a cluster bootstrapped with these members
 * @param peerUrlsById  every initial member's id to its peer URLs, in flag order
 * @param namesById     every initial member's id to its name
 */
public record InitialMembership(long localMemberId, long clusterId, Map<Long, List<URI>> peerUrlsById,
                                Map<Long, String> namesById) {
    public InitialMembership {
        peerUrlsById = Collections.unmodifiableMap(new LinkedHashMap<>(peerUrlsById));
        namesById = Collections.unmodifiableMap(new LinkedHashMap<>(namesById));
    }

    /** Computes the ids; the config must be validated (its name is in the initial cluster). */
    public static InitialMembership of(ServerConfig config) {
        Map<Long, List<URI>> urls = new LinkedHashMap<>();
        Map<Long, String> names = new LinkedHashMap<>();
        config.initialCluster().members().forEach((name, peerUrls) -> {
            long id = MemberIds.memberId(peerUrls, config.initialClusterToken());
            if (id == 0) {
                throw new IllegalArgumentException("cannot use 0 as member id (member " + name + ")");
            }
            if (urls.put(id, peerUrls) != null) {
                throw new IllegalArgumentException("member exists with identical ID " + MemberIds.toHex(id));
            }
            names.put(id, name);
        });
        long local = MemberIds.memberId(config.initialCluster().members().get(config.name()),
                config.initialClusterToken());
        return new InitialMembership(local, MemberIds.clusterId(urls.keySet()), urls, names);
    }
}
