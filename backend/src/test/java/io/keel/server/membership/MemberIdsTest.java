package io.keel.server.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.server.config.FlagException;
import io.keel.server.config.ServerConfigParser;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemberIdsTest {
    private static List<URI> urls(String... s) {
        return java.util.Arrays.stream(s).map(URI::create).toList();
    }

    @Test
    void memberIdsMatchEtcdsOwnTestVectors() {
        // etcd v3.5 membership/member_test.go TestMemberTime, the cases without a time component.
        assertThat(MemberIds.memberId(urls("http://10.0.0.8:2379"), "")).isEqualTo(Long.parseUnsignedLong("14544069596553697298"));
        assertThat(MemberIds.memberId(urls("http://10.0.0.1:2379", "http://10.0.0.2:2379"), ""))
                .isEqualTo(Long.parseUnsignedLong("16552244735972308939"));
    }

    @Test
    void peerUrlOrderDoesNotChangeTheId() {
        assertThat(MemberIds.memberId(urls("http://10.0.0.2:2379", "http://10.0.0.1:2379"), ""))
                .isEqualTo(MemberIds.memberId(urls("http://10.0.0.1:2379", "http://10.0.0.2:2379"), ""));
    }

    @Test
    void theTokenChangesTheId() {
        assertThat(MemberIds.memberId(urls("http://10.0.0.8:2379"), "a"))
                .isNotEqualTo(MemberIds.memberId(urls("http://10.0.0.8:2379"), "b"));
    }

    @Test
    void defaultFlagsGiveTheIdsEveryFreshEtcdPrints() throws FlagException {
        InitialMembership m = InitialMembership.of(ServerConfigParser.parse(new String[0]));
        assertThat(MemberIds.toHex(m.localMemberId())).isEqualTo("8e9e05c52164694d");
        assertThat(MemberIds.toHex(m.clusterId())).isEqualTo("cdf818194e3a8c32");
    }

    @Test
    void clusterIdDoesNotDependOnMemberOrder() {
        assertThat(MemberIds.clusterId(List.of(3L, -1L, 7L))).isEqualTo(MemberIds.clusterId(List.of(-1L, 7L, 3L)));
    }

    @Test
    void threeMemberClusterKnowsEveryMemberAndItself() throws FlagException {
        String cluster = "a=http://127.0.0.1:12380,b=http://127.0.0.1:22380,c=http://127.0.0.1:32380";
        InitialMembership m = InitialMembership.of(ServerConfigParser.parse(new String[] {"--name", "b",
                "--initial-advertise-peer-urls", "http://127.0.0.1:22380", "--initial-cluster", cluster,
                "--initial-cluster-token", "tok"}));
        assertThat(m.peerUrlsById()).hasSize(3);
        assertThat(m.namesById().get(m.localMemberId())).isEqualTo("b");
        assertThat(m.clusterId()).isEqualTo(MemberIds.clusterId(m.peerUrlsById().keySet()));
    }
}
