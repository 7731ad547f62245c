package io.keel.server.raftnode;

import io.keel.api.etcdserverpb.Member;
import io.keel.raft.ConfChangeType;
import io.keel.raft.ConfState;
import io.keel.raft.RaftConfig;
import io.keel.server.alarm.AlarmStore;
import io.keel.server.apply.ApplyResult;
import io.keel.server.apply.Applier;
import io.keel.server.errors.ErrorMapping;
import io.keel.server.lease.LeaseStore;
import io.keel.server.lease.Lessor;
import io.keel.server.membership.InitialMembers;
import io.keel.server.membership.MemberStore;
import io.keel.server.request.Proposer;
import io.keel.server.wait.RequestIdGenerator;
import io.keel.server.wait.WaitRegistry;
import io.keel.storage.mvcc.MvccConfig;
import io.keel.storage.mvcc.MvccStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A membership change that no longer holds when it is applied (simulation finding 8: a promotion
 * of a learner committed after the learner's removal) is refused there, as etcd refuses it: its
 * proposer gets etcd's error, and neither the member list nor Raft's configuration takes it, also
 * after a restart that replays the log. A single voter with the real applier and member store;
 * the proposals go straight to Raft, as a member whose view lagged would have sent them.
 */
class ConfChangeAtApplyTest {
    private static final long LEARNER = 42;
    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;
    private final MemoryLogStore log = new MemoryLogStore();
    private MvccStore store;
    private MemberStore members;
    private RaftNode node;
    private Proposer proposer;

    @BeforeEach
    void startSingleVoter() throws Exception {
        store = MvccStore.open(MvccConfig.defaults(dir.resolve("db"),
                MemberStore.bucketsWith(AlarmStore.BUCKET, LeaseStore.BUCKET)));
        start(List.of(1L));
    }

    private void start(List<Long> bootstrap) throws Exception {
        members = MemberStore.load(store);
        Lessor lessor = new Lessor(System::nanoTime, 1);
        lessor.reload(store);
        WaitRegistry<ApplyResult> wait = new WaitRegistry<>(1024);
        Applier applier = new Applier(store, members, AlarmStore.load(store), lessor, wait,
                new InitialMembers(Map.of()), list -> { });
        node = new RaftNode(RaftNodeConfig.defaults(RaftConfig.defaults(1)).withTickMillis(10), log, applier,
                messages -> { }, new SplittableRandom(1), bootstrap, t -> { throw new AssertionError("fatal", t); });
        node.start();
        node.campaign();
        node.linearizableBarrier().get(WAIT_SECONDS, TimeUnit.SECONDS);
        proposer = new Proposer(node, wait, new RequestIdGenerator(1, 0), 1 << 20,
                TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    }

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        store.close();
    }

    @Test
    void aPromotionAppliedAfterTheLearnersRemovalIsRefusedAndRaftKeepsItsConfiguration() throws Exception {
        Member learner = Member.newBuilder().setID(LEARNER).setIsLearner(true).addPeerURLs("http://127.0.0.1:1").build();
        await(proposer.proposeConfChange(ConfChangeType.ADD_LEARNER_NODE, LEARNER, learner));
        assertThat(conf().learners()).containsExactly(LEARNER);
        await(proposer.proposeConfChange(ConfChangeType.REMOVE_NODE, LEARNER, learner));

        CompletableFuture<ApplyResult> late = proposer.proposeConfChange(ConfChangeType.ADD_NODE, LEARNER,
                learner.toBuilder().setIsLearner(false).build(), true);

        assertThatThrownBy(() -> await(late)).isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(ErrorMapping.toStatus(e.getCause()).message())
                        .isEqualTo("etcdserver: member not found"));
        assertThat(conf()).isEqualTo(new ConfState(Set.of(1L), Set.of()));
        assertThat(members.get(LEARNER)).isNull();
        assertThat(members.isRemoved(LEARNER)).isTrue();
        // Still one voter that commits on its own.
        await(node.linearizableBarrier());

        node.close();
        start(List.of());

        assertThat(conf()).as("after a restart that re-applies the log's conf changes")
                .isEqualTo(new ConfState(Set.of(1L), Set.of()));
        assertThat(members.get(LEARNER)).isNull();
    }

    @Test
    void aChangeThatStillHoldsChangesRaftsConfigurationOnceApplied() throws Exception {
        Member learner = Member.newBuilder().setID(LEARNER).setIsLearner(true).addPeerURLs("http://127.0.0.1:1").build();
        await(proposer.proposeConfChange(ConfChangeType.ADD_LEARNER_NODE, LEARNER, learner));

        await(proposer.proposeConfChange(ConfChangeType.REMOVE_NODE, LEARNER, learner));

        assertThat(conf()).isEqualTo(new ConfState(Set.of(1L), Set.of()));
        assertThatThrownBy(() -> await(proposer.proposeConfChange(ConfChangeType.REMOVE_NODE, LEARNER, learner)))
                .as("removed twice").isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(ErrorMapping.toStatus(e.getCause()).message())
                        .isEqualTo("etcdserver: member not found"));
    }

    private ConfState conf() throws Exception {
        return await(node.status()).confState();
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
