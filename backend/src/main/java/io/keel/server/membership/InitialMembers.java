package io.keel.server.membership;

import io.keel.api.etcdserverpb.Member;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Member records for the voters a new cluster bootstraps with: Raft's bootstrap entries carry
 * only ids, so the applier takes peer URLs from {@code --initial-cluster} here. As in etcd, the
 * name stays empty until the member starts and publishes it (an empty name means "not started").
 * Immutable; thread-safe.
 */
public record InitialMembers(Map<Long, Member> byId) {
    public InitialMembers {
        byId = Map.copyOf(byId);
    }

    public static InitialMembers of(InitialMembership initial) {
        Map<Long, Member> out = new LinkedHashMap<>();
        initial.peerUrlsById().forEach((id, urls) -> out.put(id, Member.newBuilder()
                .setID(id)
                .addAllPeerURLs(urls.stream().map(URI::toString).toList())
                .build()));
        return new InitialMembers(out);
    }

    /** The bootstrap record for {@code id}, or one with only the id if it was not an initial member. */
    public Member memberOrBare(long id) {
        Member m = byId.get(id);
        return m != null ? m : Member.newBuilder().setID(id).build();
    }

    public List<Long> ids() {
        return List.copyOf(byId.keySet());
    }
}
