package io.keel.backend.cluster;

import io.keel.api.etcdserverpb.Member;
import io.keel.server.config.ClusterState;
import io.keel.server.config.ServerConfig;
import io.keel.server.membership.ExistingCluster;
import io.keel.server.membership.InitialMembers;
import io.keel.server.membership.InitialMembership;
import io.keel.server.membership.MemberIdentity;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who this member is, decided once at startup as etcd decides it: a data dir that has an
 * identity keeps it; a new member of a new cluster derives ids from the flags; a new member with
 * {@code --initial-cluster-state existing} fetches the cluster from the peers in
 * {@code --initial-cluster}, checks it against the flags and adopts the id MemberAdd gave it and
 * the cluster's id. The outcome is persisted before Raft starts, so restarts use it.
 * Immutable; thread-safe.
 *
 * @param memberId       this member's id
 * @param clusterId      its cluster's id
 * @param initialMembers the member records the applier uses for bootstrap entries (which carry ids only)
 * @param joinedMembers  the members fetched from the cluster (empty unless it just joined)
 */
public record MemberJoin(long memberId, long clusterId, InitialMembers initialMembers, List<Member> joinedMembers) {

    /** Decides (fetching from peers when joining; blocks) and persists the identity. */
    public static MemberJoin resolve(ServerConfig config, InitialMembership initial, boolean freshLog,
                                     PeerClusterClient peers) {
        MemberIdentity saved = MemberIdentity.read(config.dataDir());
        MemberJoin join;
        if (saved == null && freshLog && config.initialClusterState() == ClusterState.EXISTING) {
            List<URI> remote = new ArrayList<>();
            initial.peerUrlsById().forEach((id, urls) -> {
                if (!config.name().equals(initial.namesById().get(id))) {
                    remote.addAll(urls);
                }
            });
            ExistingCluster cluster = peers.fetch(remote);
            long local = cluster.validateAndFindLocalId(initial, config.name());
            Map<Long, Member> byId = new LinkedHashMap<>();
            cluster.members().forEach(m -> byId.put(m.getID(), m));
            join = new MemberJoin(local, cluster.clusterId(), new InitialMembers(byId), cluster.members());
        } else if (saved != null) {
            join = new MemberJoin(saved.memberId(), saved.clusterId(), InitialMembers.of(initial), List.of());
        } else {
            join = new MemberJoin(initial.localMemberId(), initial.clusterId(), InitialMembers.of(initial), List.of());
        }
        if (saved == null) {
            new MemberIdentity(join.memberId(), join.clusterId()).write(config.dataDir());
        }
        return join;
    }
}
