package io.keel.backend.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.etcdserverpb.Member;
import java.util.List;
import org.junit.jupiter.api.Test;

class MembershipActionsTest {
    @Test
    void theStartCommandJoinsTheStartedMembersAndTheNewOneAsAnExistingCluster() {
        List<Member> existing = List.of(
                Member.newBuilder().setID(1).setName("a").addPeerURLs("http://127.0.0.1:1").build(),
                Member.newBuilder().setID(2).addPeerURLs("http://127.0.0.1:2").build()); // not started: no name

        String cmd = MembershipActions.commandLine("d", "http://127.0.0.1:4", "http://127.0.0.1:5", existing);

        assertThat(cmd).isEqualTo("bin/keel --name d --data-dir d.keel --listen-client-urls http://127.0.0.1:5"
                + " --advertise-client-urls http://127.0.0.1:5 --listen-peer-urls http://127.0.0.1:4"
                + " --initial-advertise-peer-urls http://127.0.0.1:4"
                + " --initial-cluster a=http://127.0.0.1:1,d=http://127.0.0.1:4 --initial-cluster-state existing");
    }
}
