package io.keel.server.membership;

import io.keel.api.etcdserverpb.Member;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExistingClusterTest {
    @TempDir
    Path dir;

    private static InitialMembership flags(Map<String, String> nameToUrl) {
        Map<Long, List<URI>> urls = new java.util.LinkedHashMap<>();
        Map<Long, String> names = new java.util.LinkedHashMap<>();
        nameToUrl.forEach((n, u) -> {
            long id = MemberIds.memberId(List.of(URI.create(u)), "tok");
            urls.put(id, List.of(URI.create(u)));
            names.put(id, n);
        });
        return new InitialMembership(names.keySet().iterator().next(), 1, urls, names);
    }

    private static Member member(long id, String url, String name) {
        return Member.newBuilder().setID(id).addPeerURLs(url).setName(name).build();
    }

    @Test
    void theJoiningMemberAdoptsTheIdMemberAddGaveIt() {
        ExistingCluster remote = new ExistingCluster(0xabcL, List.of(member(0x1L, "http://a:1", "a"),
                member(0xfedcba9876543210L, "http://d:4", "")));
        InitialMembership local = flags(new java.util.LinkedHashMap<>(Map.of("a", "http://a:1", "d", "http://d:4")));

        assertThat(remote.validateAndFindLocalId(local, "d")).isEqualTo(0xfedcba9876543210L);
    }

    @Test
    void aMemberNotAddedFirstGetsEtcdsError() {
        ExistingCluster remote = new ExistingCluster(0xabcL, List.of(member(0x1L, "http://a:1", "a")));
        InitialMembership local = flags(new java.util.LinkedHashMap<>(Map.of("a", "http://a:1", "d", "http://d:4")));

        assertThatThrownBy(() -> remote.validateAndFindLocalId(local, "d"))
                .hasMessageStartingWith("error validating peerURLs {ClusterID:abc Members:[&{ID:1 ")
                .hasMessageEndingWith(": member count is unequal");
    }

    @Test
    void peerUrlsThatDifferFromTheClustersAreRefused() {
        ExistingCluster remote = new ExistingCluster(0xabcL, List.of(member(0x1L, "http://a:1", "a"),
                member(0x2L, "http://d:5", "")));
        InitialMembership local = flags(new java.util.LinkedHashMap<>(Map.of("a", "http://a:1", "d", "http://d:4")));

        assertThatThrownBy(() -> remote.validateAndFindLocalId(local, "d"))
                .hasMessageContaining("PeerURLs: no match found for existing member (2, [http://d:5])");
    }

    @Test
    void membersSurviveTheirJsonFormWithUnsignedIds() {
        List<Member> members = List.of(member(0xfedcba9876543210L, "http://a:1", "a\"b").toBuilder()
                .addClientURLs("http://a:2").build(), Member.newBuilder().setID(7).addPeerURLs("http://b:1")
                .setIsLearner(true).build());
        String json = MembersJson.encode(members);

        assertThat(json).contains("\"id\":18364758544493064720");
        assertThat(MembersJson.decode(io.vertx.core.json.Json.decodeValue(json, List.class))).isEqualTo(members);
    }

    @Test
    void theIdentityIsPersistedAndReadBack() {
        assertThat(MemberIdentity.read(dir)).isNull();
        new MemberIdentity(0x8000000000000001L, 0x42L).write(dir);

        assertThat(MemberIdentity.read(dir)).isEqualTo(new MemberIdentity(0x8000000000000001L, 0x42L));
    }
}
