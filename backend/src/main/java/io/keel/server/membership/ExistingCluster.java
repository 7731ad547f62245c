package io.keel.server.membership;

import io.keel.api.etcdserverpb.Member;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The cluster a member joins with {@code --initial-cluster-state existing}, as fetched from the
 * peers, and etcd's check of it against {@code --initial-cluster}: the flag must list exactly the
 * cluster's members (the new one included, which MemberAdd must have added first), each with the
 * peer URLs the cluster knows. The ids come from the cluster, not from the flags. Immutable;
 * thread-safe.
 *
 * @param clusterId the running cluster's id
 * @param members   its members as the peer reported them
 */
public record ExistingCluster(long clusterId, List<Member> members) {
    public ExistingCluster {
        members = List.copyOf(members);
    }

    /**
     * This member's id in the existing cluster.
     *
     * @throws IllegalStateException with etcd's message when the flags do not match the cluster
     */
    public long validateAndFindLocalId(InitialMembership local, String localName) {
        Map<Long, List<URI>> localUrls = local.peerUrlsById();
        if (members.size() != localUrls.size()) {
            throw invalid("member count is unequal");
        }
        long localId = 0;
        for (Member m : members) {
            Long matched = null;
            for (Map.Entry<Long, List<URI>> e : localUrls.entrySet()) {
                if (sorted(e.getValue().stream().map(URI::toString).toList()).equals(sorted(m.getPeerURLsList()))) {
                    matched = e.getKey();
                    break;
                }
            }
            if (matched == null) {
                throw invalid("PeerURLs: no match found for existing member (" + MemberIds.toHex(m.getID()) + ", "
                        + m.getPeerURLsList() + "), last resolver error (<nil>)");
            }
            if (localName.equals(local.namesById().get(matched))) {
                localId = m.getID();
            }
        }
        if (localId == 0) {
            throw invalid("member " + localName + " not found in the cluster");
        }
        return localId;
    }

    private IllegalStateException invalid(String why) {
        return new IllegalStateException("error validating peerURLs " + this + ": " + why);
    }

    private static List<String> sorted(List<String> urls) {
        return urls.stream().sorted().toList();
    }

    /** As etcd prints a cluster in its error. */
    @Override
    public String toString() {
        String ms = members.stream().map(m -> "&{ID:" + MemberIds.toHex(m.getID()) + " RaftAttributes:{PeerURLs:"
                + "[" + String.join(" ", m.getPeerURLsList()) + "] IsLearner:" + m.getIsLearner() + "} Attributes:{Name:"
                + m.getName() + " ClientURLs:[" + String.join(" ", m.getClientURLsList()) + "]}}")
                .collect(Collectors.joining(" "));
        return "{ClusterID:" + MemberIds.toHex(clusterId) + " Members:[" + ms + "] RemovedMemberIDs:[]}";
    }
}
