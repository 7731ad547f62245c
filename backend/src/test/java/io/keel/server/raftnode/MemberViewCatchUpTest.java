package io.keel.server.raftnode;

import io.keel.api.etcdserverpb.Member;
import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.EntryType;
import io.keel.raft.RaftConfig;
import io.keel.raft.Snapshot;
import io.keel.server.cluster.RaftClusterBackend;
import io.keel.server.errors.ErrorMapping;
import io.keel.server.membership.MemberStore;
import io.keel.server.request.Proposer;
import io.keel.server.request.ResponseHeaders;
import io.keel.server.wait.RequestIdGenerator;
import io.keel.server.wait.WaitRegistry;
import io.keel.storage.mvcc.MvccConfig;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.MvccWriteTxn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A membership request naming a member this member's view lacks first lets the view catch up with
 * everything committed: a client that added a learner through one member and removes it through
 * another at once must not hear "member not found" (etcd checks at apply, in log order).
 */
class MemberViewCatchUpTest {
    private static final long LEARNER = 42;
    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;
    private MvccStore store;
    private MemberStore members;
    private GatedMembers applier;
    private RaftNode node;
    private RaftClusterBackend cluster;

    @BeforeEach
    void startSingleVoter() throws Exception {
        store = MvccStore.open(MvccConfig.defaults(dir.resolve("db"),
                MemberStore.BUCKETS));
        members = MemberStore.load(store);
        applier = new GatedMembers(store, members);
        node = new RaftNode(RaftNodeConfig.defaults(RaftConfig.defaults(1)).withTickMillis(10), new MemoryLogStore(),
                applier, messages -> { }, new SplittableRandom(1), List.of(1L),
                t -> { throw new AssertionError("fatal", t); });
        node.start();
        node.campaign();
        node.linearizableBarrier().get(WAIT_SECONDS, TimeUnit.SECONDS);
        Proposer proposer = new Proposer(node, new WaitRegistry<>(1024), new RequestIdGenerator(1, 0),
                1 << 20, TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        cluster = new RaftClusterBackend(node, store, members, proposer, new ResponseHeaders(7, 1, node),
                "token", Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            applier.release();
            node.close();
        }
        store.close();
    }

    @Test
    void removingAMemberCommittedButNotYetAppliedHereWaitsForTheApply() throws Exception {
        applier.holdNextAdd();
        node.propose(bytes("add-learner")).get(WAIT_SECONDS, TimeUnit.SECONDS);
        applier.awaitHeld();

        CompletableFuture<Member> planned = cluster.planRemove(LEARNER).toCompletableFuture();
        assertThat(members.get(LEARNER)).isNull();
        assertThat(planned).isNotDone();

        applier.release();
        Member removed = planned.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(removed.getID()).isEqualTo(LEARNER);
        assertThat(removed.getIsLearner()).isTrue();
    }

    @Test
    void aMemberUnknownOnceTheViewHasCaughtUpIsNotFound() {
        CompletableFuture<Member> planned = cluster.planRemove(LEARNER + 1).toCompletableFuture();

        assertThatThrownBy(() -> planned.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(ErrorMapping.toStatus(e.getCause()).message())
                        .isEqualTo("etcdserver: member not found"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Applies "add-learner" by putting learner {@link #LEARNER} into the member store, optionally
     * holding that apply until released; every other entry only advances the applied index.
     */
    private static final class GatedMembers implements StateMachine {
        private final MvccStore store;
        private final MemberStore members;
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch gate = new CountDownLatch(1);
        private volatile boolean holding;
        private volatile long appliedIndex;

        GatedMembers(MvccStore store, MemberStore members) {
            this.store = store;
            this.members = members;
        }

        void holdNextAdd() {
            holding = true;
        }

        void awaitHeld() throws InterruptedException {
            assertThat(held.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the add reached the applier").isTrue();
        }

        void release() {
            gate.countDown();
        }

        @Override
        public long appliedIndex() {
            return appliedIndex;
        }

        @Override
        public void apply(List<Entry> entries, ConfState confState) {
            for (Entry e : entries) {
                if (e.type() == EntryType.NORMAL && "add-learner".equals(new String(e.data(), StandardCharsets.UTF_8))) {
                    if (holding) {
                        held.countDown();
                        awaitGate();
                    }
                    try (MvccWriteTxn w = store.beginWrite()) {
                        members.put(Member.newBuilder().setID(LEARNER).setIsLearner(true)
                                .addPeerURLs("http://127.0.0.1:1").build(), w);
                        w.commit();
                    }
                }
                appliedIndex = e.index();
            }
        }

        private void awaitGate() {
            try {
                gate.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void restore(Snapshot snapshot) {
            throw new UnsupportedOperationException("no snapshots in this test");
        }

        @Override
        public byte[] snapshotData() {
            return new byte[0];
        }
    }
}
