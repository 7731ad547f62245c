package io.keel.server.cluster;

import io.keel.api.etcdserverpb.Member;
import io.keel.api.etcdserverpb.MemberAddRequest;
import io.keel.server.errors.ErrorMapping;
import io.keel.server.membership.MemberStore;
import io.keel.storage.mvcc.MvccConfig;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.MvccWriteTxn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The checks a member add passes before it is proposed, in etcd's order: a new voter must leave
 * the started voters a quorum; then, as every member checks again at apply, an id removed
 * ("member not found") or present ("member ID already exist") before a peer URL taken, then the
 * learner limit. A member's id hashes its peer URLs with the second it was added, so which of
 * these a client hears for the same URLs depends on the clock; here the clock is fixed. Learner
 * adds and the voter check read only the member list, so no Raft node runs.
 */
class PlanAddTest {
    private static final String OWN_URL = "http://127.0.0.1:2380";
    private static final String LEARNER_URL = "http://127.0.0.1:9";
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    @TempDir
    Path dir;
    private MvccStore store;
    private MemberStore members;

    @BeforeEach
    void oneStartedVoter() {
        store = MvccStore.open(MvccConfig.defaults(dir.resolve("db"), MemberStore.BUCKETS));
        members = MemberStore.load(store);
        put(Member.newBuilder().setID(1).setName("m1").addPeerURLs(OWN_URL).build());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void sameUrlsInTheSameSecondAreTheSameIdWhichEtcdChecksBeforeTheUrls() throws Exception {
        Member learner = plan(NOW, learner(LEARNER_URL)).get(5, TimeUnit.SECONDS);
        put(learner);

        assertRefused(plan(NOW, learner(LEARNER_URL)), "etcdserver: member ID already exist");
        assertRefused(plan(NOW.plusSeconds(1), learner(LEARNER_URL)), "etcdserver: Peer URLs already exists");
        remove(learner.getID());
        assertRefused(plan(NOW, learner(LEARNER_URL)), "etcdserver: member not found");
        assertThat(plan(NOW.plusSeconds(1), learner(LEARNER_URL)).get(5, TimeUnit.SECONDS).getID())
                .isNotEqualTo(learner.getID());
    }

    @Test
    void aPeerUrlOfAnyMemberIsTaken() {
        assertRefused(plan(NOW, learner("http://127.0.0.1:8", OWN_URL)), "etcdserver: Peer URLs already exists");
        assertRefused(plan(NOW, voter(OWN_URL)), "etcdserver: Peer URLs already exists");
    }

    @Test
    void aSecondLearnerIsRefusedAVoterIsNot() throws Exception {
        put(plan(NOW, learner(LEARNER_URL)).get(5, TimeUnit.SECONDS));

        assertRefused(plan(NOW, learner("http://127.0.0.1:8")), "etcdserver: too many learner members in cluster");
        Member voter = plan(NOW, voter("http://127.0.0.1:8")).get(5, TimeUnit.SECONDS);
        assertThat(voter.getIsLearner()).isFalse();
        assertThat(voter.getPeerURLsList()).containsExactly("http://127.0.0.1:8");
    }

    @Test
    void aVoterThatWouldLeaveTooFewStartedVotersIsRefusedFirst() throws Exception {
        // Two voters, one never started: a third that never starts would leave 1 of 3 started.
        put(plan(NOW, voter("http://127.0.0.1:7")).get(5, TimeUnit.SECONDS));

        assertRefused(plan(NOW, voter(OWN_URL)),
                "etcdserver: re-configuration failed due to not enough started members");
        assertRefused(plan(NOW, learner(OWN_URL)), "etcdserver: Peer URLs already exists");
    }

    @Test
    void aMalformedUrlIsRefusedBeforeAnyCheck() {
        assertRefused(plan(NOW, learner("127.0.0.1:9")), "etcdserver: given member URLs are invalid");
    }

    private CompletableFuture<Member> plan(Instant at, MemberAddRequest request) {
        // planAdd reads only the member list: no Raft node, proposer or store reads are needed.
        RaftClusterBackend cluster = new RaftClusterBackend(null, store, members, null, null, "token",
                Clock.fixed(at, ZoneOffset.UTC));
        return cluster.planAdd(request).toCompletableFuture();
    }

    private static MemberAddRequest learner(String... urls) {
        return MemberAddRequest.newBuilder().addAllPeerURLs(List.of(urls)).setIsLearner(true).build();
    }

    private static MemberAddRequest voter(String... urls) {
        return MemberAddRequest.newBuilder().addAllPeerURLs(List.of(urls)).build();
    }

    private void put(Member m) {
        try (MvccWriteTxn w = store.beginWrite()) {
            members.put(m, w);
            w.commit();
        }
    }

    private void remove(long id) {
        try (MvccWriteTxn w = store.beginWrite()) {
            members.remove(id, w);
            w.commit();
        }
    }

    private static void assertRefused(CompletableFuture<Member> planned, String message) {
        assertThatThrownBy(() -> planned.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(ErrorMapping.toStatus(e.getCause()).message()).isEqualTo(message));
    }
}
