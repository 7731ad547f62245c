package io.keel.server.membership;

import io.keel.api.etcdserverpb.Member;
import io.keel.api.internal.v1.MemberChange;
import io.keel.raft.ConfChangeType;
import io.keel.server.errors.EtcdError;
import io.keel.storage.mvcc.MvccConfig;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.MvccWriteTxn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.keel.raft.ConfChangeType.ADD_LEARNER_NODE;
import static io.keel.raft.ConfChangeType.ADD_NODE;
import static io.keel.raft.ConfChangeType.REMOVE_NODE;
import static io.keel.raft.ConfChangeType.UPDATE_NODE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * etcd's checks of a membership change at apply (ValidateConfigurationChange), against a member
 * list of voter 1, learner 2 and removed member 3, each with its own peer URL.
 */
class ConfChangeCheckTest {
    private static final long VOTER = 1;
    private static final long LEARNER = 2;
    private static final long REMOVED = 3;
    private static final long NEW = 4;

    @TempDir
    Path dir;
    private MvccStore store;
    private MemberStore members;

    @BeforeEach
    void members() {
        store = MvccStore.open(MvccConfig.defaults(dir.resolve("db"), MemberStore.BUCKETS));
        members = MemberStore.load(store);
        try (MvccWriteTxn w = store.beginWrite()) {
            members.put(member(VOTER, false), w);
            members.put(member(LEARNER, true), w);
            members.put(member(REMOVED, false), w);
            members.remove(REMOVED, w);
            w.commit();
        }
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aRemovedIdIsNotFoundWhateverTheChange() {
        for (ConfChangeType type : ConfChangeType.values()) {
            assertThat(check(type, REMOVED, change(member(REMOVED, false), type == ADD_NODE)))
                    .as(type.name()).isEqualTo(EtcdError.MEMBER_NOT_FOUND);
        }
    }

    @Test
    void aPromotionNeedsAnExistingLearner() {
        assertThat(check(ADD_NODE, LEARNER, change(member(LEARNER, false), true))).isNull();
        assertThat(check(ADD_NODE, VOTER, change(member(VOTER, false), true))).isEqualTo(EtcdError.MEMBER_NOT_LEARNER);
        assertThat(check(ADD_NODE, NEW, change(member(NEW, false), true))).isEqualTo(EtcdError.MEMBER_NOT_FOUND);
    }

    @Test
    void anAdditionNeedsANewIdFreePeerUrlsAndRoomForALearner() {
        assertThat(check(ADD_NODE, NEW, change(member(NEW, false), false))).isNull();
        assertThat(check(ADD_NODE, LEARNER, change(member(LEARNER, false), false))).isEqualTo(EtcdError.MEMBER_EXIST);
        Member sameUrl = member(NEW, false).toBuilder().clearPeerURLs().addPeerURLs(url(VOTER)).build();
        assertThat(check(ADD_NODE, NEW, change(sameUrl, false))).isEqualTo(EtcdError.PEER_URL_EXIST);
        assertThat(check(ADD_LEARNER_NODE, NEW, change(member(NEW, true), false)))
                .as("learner 2 is already there").isEqualTo(EtcdError.TOO_MANY_LEARNERS);
        assertThat(check(ADD_NODE, NEW, null)).as("a bootstrap entry").isNull();
        assertThat(check(ADD_NODE, VOTER, null)).as("a bootstrap entry for a member already there")
                .isEqualTo(EtcdError.MEMBER_EXIST);
    }

    @Test
    void aSecondLearnerFitsOnceTheFirstIsGone() {
        try (MvccWriteTxn w = store.beginWrite()) {
            members.remove(LEARNER, w);
            w.commit();
        }
        assertThat(check(ADD_LEARNER_NODE, NEW, change(member(NEW, true), false))).isNull();
    }

    @Test
    void aRemovalOrUpdateNeedsAMember() {
        assertThat(check(REMOVE_NODE, LEARNER, change(member(LEARNER, true), false))).isNull();
        assertThat(check(REMOVE_NODE, NEW, change(member(NEW, false), false))).isEqualTo(EtcdError.MEMBER_NOT_FOUND);
        assertThat(check(UPDATE_NODE, NEW, change(member(NEW, false), false))).isEqualTo(EtcdError.MEMBER_NOT_FOUND);
    }

    @Test
    void anUpdateMayKeepItsOwnUrlsButNotTakeAnothers() {
        assertThat(check(UPDATE_NODE, VOTER, change(member(VOTER, false), false))).isNull();
        Member taking = member(VOTER, false).toBuilder().addPeerURLs(url(LEARNER)).build();
        assertThat(check(UPDATE_NODE, VOTER, change(taking, false))).isEqualTo(EtcdError.PEER_URL_EXIST);
    }

    @Test
    void aRefusalIsRememberedAcrossALoad() {
        try (MvccWriteTxn w = store.beginWrite()) {
            members.refuse(17, w);
            w.commit();
        }
        assertThat(members.wasRefused(17)).isTrue();
        assertThat(MemberStore.load(store).wasRefused(17)).isTrue();
        assertThat(MemberStore.load(store).wasRefused(16)).isFalse();
    }

    private EtcdError check(ConfChangeType type, long id, MemberChange change) {
        return ConfChangeCheck.check(members, type, id, change);
    }

    private static MemberChange change(Member member, boolean promote) {
        return MemberChange.newBuilder().setRequestId(1).setMember(member).setIsPromote(promote).build();
    }

    private static Member member(long id, boolean learner) {
        return Member.newBuilder().setID(id).setIsLearner(learner).addPeerURLs(url(id)).build();
    }

    private static String url(long id) {
        return "http://127.0.0.1:" + (2380 + id);
    }
}
