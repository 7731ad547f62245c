package io.keel.server.raftnode;

import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.RaftConfig;
import io.keel.raft.Snapshot;
import io.keel.raft.SnapshotMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RaftNodeTest {
    private static final long WAIT_SECONDS = 30;
    private final InProcessNetwork network = new InProcessNetwork();
    private final List<RaftNode> running = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (RaftNode n : running) {
            n.close();
        }
    }

    private static RaftNodeConfig config(long id) {
        return RaftNodeConfig.defaults(RaftConfig.defaults(id)).withTickMillis(10);
    }

    private RaftNode start(RaftNodeConfig config, MemoryLogStore log, RecordingStateMachine sm, List<Long> voters) {
        long id = config.raft().id();
        RaftNode node = new RaftNode(config, log, sm, network.senderFor(id), new SplittableRandom(id), voters,
                t -> { throw new AssertionError("fatal on node " + id, t); });
        network.register(id, node);
        node.start();
        running.add(node);
        return node;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Starts voters 1, 2 and 3 on in-memory logs, each with the config {@code configOf(id)}, filling {@code sms}. */
    private RaftNode[] startThree(RecordingStateMachine[] sms, java.util.function.LongFunction<RaftNodeConfig> configOf) {
        List<Long> voters = List.of(1L, 2L, 3L);
        RaftNode[] nodes = new RaftNode[3];
        for (int i = 0; i < 3; i++) {
            sms[i] = new RecordingStateMachine();
            nodes[i] = start(configOf.apply(i + 1), new MemoryLogStore(), sms[i], voters);
        }
        return nodes;
    }

    @Test
    void threeMembersApplyForwardedProposalsInTheSameOrder() throws Exception {
        RecordingStateMachine[] sms = new RecordingStateMachine[3];
        RaftNode[] nodes = startThree(sms, RaftNodeTest::config);
        nodes[0].campaign();
        await(nodes[0].linearizableBarrier());
        for (int i = 0; i < 12; i++) {
            await(nodes[i % 3].propose(bytes("v" + i)));
        }
        List<String> first = await(sms[0].awaitValues(12));
        assertThat(first).containsExactlyInAnyOrder(
                "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11");
        assertThat(await(sms[1].awaitValues(12))).isEqualTo(first);
        assertThat(await(sms[2].awaitValues(12))).isEqualTo(first);
    }

    @Test
    void linearizableReadOnAFollowerSeesAWriteCommittedThroughTheLeader() throws Exception {
        List<Long> voters = List.of(1L, 2L, 3L);
        RecordingStateMachine leaderSm = new RecordingStateMachine();
        RecordingStateMachine followerSm = new RecordingStateMachine();
        RaftNode leader = start(config(1), new MemoryLogStore(), leaderSm, voters);
        RaftNode follower = start(config(2), new MemoryLogStore(), followerSm, voters);
        start(config(3), new MemoryLogStore(), new RecordingStateMachine(), voters);
        leader.campaign();
        await(leader.linearizableBarrier());
        await(leader.propose(bytes("x")));
        await(leaderSm.awaitValues(1));

        await(follower.linearizableBarrier());

        assertThat(followerSm.values()).containsExactly("x");
    }

    @Test
    void concurrentReadIndexesFromEveryMemberAreAnsweredWithoutARetryAndSeeEveryEarlierWrite() throws Exception {
        // Retries off (a million ticks): a ReadIndex the leader drops would never be answered. The
        // leader ignores a context it already holds, so two members asking with the same context
        // at once would leave one waiting: each member's contexts must be its own.
        RecordingStateMachine[] sms = new RecordingStateMachine[3];
        RaftNode[] nodes = startThree(sms, id -> new RaftNodeConfig(RaftConfig.defaults(id), 10, 100_000, 5_000,
                10_000, 5_000, 1_000_000, true));
        nodes[0].campaign();
        // A read asked before a member knows the leader is dropped (etcd's callers retry too).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (nodes[0].state().leaderId() != 1 || nodes[1].state().leaderId() != 1
                || nodes[2].state().leaderId() != 1) {
            assertThat(System.nanoTime() - deadline).as("every member learns the leader").isNegative();
            Thread.onSpinWait();
        }
        await(nodes[0].linearizableBarrier());
        for (int round = 0; round < 20; round++) {
            // A write completes once the member that took it has applied it (as etcd's put returns).
            await(nodes[round % 3].propose(bytes("w" + round)));
            assertThat(await(sms[round % 3].awaitValues(round + 1))).contains("w" + round);
            List<CompletableFuture<Long>> reads = new ArrayList<>();
            for (RaftNode n : nodes) {
                reads.add(n.linearizableBarrier());
            }
            for (int i = 0; i < 3; i++) {
                await(reads.get(i));
                // The write completed before the read began: the read must see it.
                assertThat(sms[i].values()).as("member %d, round %d", i + 1, round).contains("w" + round);
            }
        }
    }

    @Test
    void aLeaderReplicatesAnEntryWhileItsOwnSaveIsStillInProgress() throws Exception {
        List<Long> voters = List.of(1L, 2L, 3L);
        MemoryLogStore leaderLog = new MemoryLogStore();
        MemoryLogStore followerLog = new MemoryLogStore();
        RecordingStateMachine leaderSm = new RecordingStateMachine();
        RaftNode leader = start(config(1), leaderLog, leaderSm, voters);
        start(config(2), followerLog, new RecordingStateMachine(), voters);
        start(config(3), new MemoryLogStore(), new RecordingStateMachine(), voters);
        leader.campaign();
        await(leader.linearizableBarrier());

        CountDownLatch followerStored = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean storedWhileLeaderSaved = new java.util.concurrent.atomic.AtomicBoolean();
        followerLog.beforeSave = entries -> {
            if (holds(entries, "pipelined")) {
                followerStored.countDown();
            }
        };
        leaderLog.beforeSave = entries -> {
            if (holds(entries, "pipelined")) {
                // The leader's disk is "slow": it finishes only once a follower has the entry,
                // which can happen only if the append left before this save.
                try {
                    storedWhileLeaderSaved.set(followerStored.await(WAIT_SECONDS, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        await(leader.propose(bytes("pipelined")));
        assertThat(await(leaderSm.awaitValues(1))).containsExactly("pipelined");
        assertThat(storedWhileLeaderSaved).isTrue();
    }

    private static boolean holds(List<Entry> entries, String value) {
        return entries.stream().anyMatch(e -> e.data() != null
                && new String(e.data(), StandardCharsets.UTF_8).equals(value));
    }

    @Test
    void proposalsAreRefusedAsTooManyRequestsWhileApplyingLagsBehindCommitting() throws Exception {
        RecordingStateMachine sm = new RecordingStateMachine();
        RaftNodeConfig cfg = new RaftNodeConfig(RaftConfig.defaults(1), 10, 100_000, 5_000, 10_000, 2, 5, true);
        RaftNode node = start(cfg, new MemoryLogStore(), sm, List.of(1L));
        node.campaign();
        await(node.linearizableBarrier());
        CountDownLatch gate = sm.blockApplies();

        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 10; i++) {
            try {
                await(node.propose(bytes("p" + i)));
                accepted++;
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(NodeBusyException.class)
                        .hasMessage("etcdserver: too many requests");
                refused++;
            }
            await(node.status()); // the Ready for this proposal has been handled
        }
        String diag = "accepted=" + accepted + " commit=" + await(node.status()).hardState().commit()
                + " applied=" + node.applied().applied() + " applyCalls=" + sm.applyCalls();
        gate.countDown();

        assertThat(refused).as(diag).isPositive();
        assertThat(await(sm.awaitValues(accepted))).hasSize(accepted);
    }

    @Test
    void aLaggingFollowerCatchesUpFromTheLeadersSnapshotAfterCompaction() throws Exception {
        List<Long> voters = List.of(1L, 2L, 3L);
        RecordingStateMachine lagging = new RecordingStateMachine();
        RecordingStateMachine leaderSm = new RecordingStateMachine();
        MemoryLogStore leaderLog = new MemoryLogStore();
        RaftNode leader = start(config(1).withSnapshotCount(5, 1), leaderLog, leaderSm, voters);
        start(config(2).withSnapshotCount(5, 1), new MemoryLogStore(), new RecordingStateMachine(), voters);
        start(config(3).withSnapshotCount(5, 1), new MemoryLogStore(), lagging, voters);
        leader.campaign();
        await(leader.linearizableBarrier());
        network.isolate(3);
        for (int i = 0; i < 30; i++) {
            await(leader.propose(bytes("s" + i)));
        }
        await(leaderSm.awaitValues(30));
        await(leader.status()); // snapshot requests queued by the apply thread are handled by now
        network.heal();

        List<String> caughtUp = await(lagging.awaitValues(30));

        assertThat(caughtUp).isEqualTo(leaderSm.values());
        assertThat(lagging.restores()).isPositive();
        leader.close();
        running.remove(leader);
        assertThat(leaderLog.firstIndex()).isGreaterThan(1);
    }

    @Test
    void aMemberAddedAfterTheLastStoredSnapshotCatchesUpFromAMergedSnapshot() throws Exception {
        List<Long> voters = List.of(1L, 2L, 3L);
        RecordingStateMachine leaderSm = new RecordingStateMachine();
        RaftNode leader = start(config(1).withSnapshotCount(5, 1), new MemoryLogStore(), leaderSm, voters);
        start(config(2).withSnapshotCount(5, 1), new MemoryLogStore(), new RecordingStateMachine(), voters);
        start(config(3).withSnapshotCount(5, 1), new MemoryLogStore(), new RecordingStateMachine(), voters);
        leader.campaign();
        await(leader.linearizableBarrier());
        for (int i = 0; i < 30; i++) {
            await(leader.propose(bytes("s" + i)));
        }
        await(leaderSm.awaitValues(30));
        await(leader.status()); // the stored snapshot (configuration {1, 2, 3}) is taken by now
        // One entry only: too few for a new stored snapshot, so only a merged one names member 4.
        await(leader.proposeConfChange(new io.keel.raft.ConfChange(io.keel.raft.ConfChangeType.ADD_LEARNER_NODE,
                4, new byte[0])));
        await(leader.linearizableBarrier());
        RecordingStateMachine joined = new RecordingStateMachine();
        start(config(4).withSnapshotCount(5, 1), new MemoryLogStore(), joined, List.of());

        List<String> caughtUp = await(joined.awaitValues(30));

        assertThat(caughtUp).isEqualTo(leaderSm.values().subList(0, 30));
        assertThat(joined.restores()).isPositive();
    }

    @Test
    void aRestartedMemberResumesFromItsLogWithoutApplyingAnEntryTwice() throws Exception {
        MemoryLogStore log = new MemoryLogStore();
        RecordingStateMachine sm = new RecordingStateMachine();
        RaftNode first = start(config(1), log, sm, List.of(1L));
        first.campaign();
        await(first.linearizableBarrier());
        for (String v : List.of("a", "b", "c")) {
            await(first.propose(bytes(v)));
        }
        await(sm.awaitValues(3));
        first.close();
        running.remove(first);

        RaftNode second = start(config(1), log, sm, List.of(1L));
        second.campaign();
        await(second.linearizableBarrier());
        await(second.propose(bytes("d")));

        assertThat(await(sm.awaitValues(4))).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aRestartIsHandedOnlyTheEntriesItsStoreLacksAndKeepsTheConfChangesBeforeThem() throws Exception {
        // What a kill -9 mid-load leaves: the log holds more committed entries than the store
        // applied durably. Raft must resume after the store's index (no entry re-read and re-handed
        // before it), hand over exactly the missing ones, and still know the voters from the
        // bootstrap conf change at index 1, which is before the restart point and in no snapshot.
        MemoryLogStore log = new MemoryLogStore();
        RecordingStateMachine sm = new RecordingStateMachine();
        RaftNode first = start(config(1), log, sm, List.of(1L));
        first.campaign();
        await(first.linearizableBarrier());
        for (String v : List.of("a", "b", "c", "d", "e")) {
            await(first.propose(bytes(v)));
        }
        await(sm.awaitValues(5));
        first.close();
        running.remove(first);
        long indexOfC = -1;
        for (Entry e : log.entries(log.firstIndex(), log.lastIndex() + 1, Long.MAX_VALUE)) {
            if (new String(e.data(), StandardCharsets.UTF_8).equals("c")) {
                indexOfC = e.index();
            }
        }
        assertThat(log.snapshot().isEmpty()).isTrue();

        RecordingStateMachine store = new RecordingStateMachine().holdingUpTo(indexOfC, List.of("a", "b", "c"));
        RaftNode second = start(config(1), log, store, List.of(1L));
        second.campaign();
        await(second.linearizableBarrier());
        await(second.propose(bytes("f")));

        assertThat(await(store.awaitValues(6))).containsExactly("a", "b", "c", "d", "e", "f");
        long resumeAt = indexOfC + 1;
        assertThat(store.deliveredIndexes()).isNotEmpty().allMatch(i -> i >= resumeAt);
        assertThat(store.deliveredIndexes().get(0)).isEqualTo(resumeAt);
        assertThat(await(second.status()).confState().voters()).containsExactly(1L);
    }

    @Test
    void aStoppedNodeFailsNewRequestsInsteadOfLeavingThemPending() throws Exception {
        RaftNode node = start(config(1), new MemoryLogStore(), new RecordingStateMachine(), List.of(1L));
        node.close();
        running.remove(node);

        assertThatThrownBy(() -> await(node.applied().waitFor(1_000)))
                .hasCauseInstanceOf(NodeStoppedException.class);
    }

    @Test
    void aProposalWithNoLeaderWaitsForOneAndFailsOnlyWhenTheNodeStops() throws Exception {
        RaftNode node = start(config(1), new MemoryLogStore(), new RecordingStateMachine(),
                List.of(1L, 2L, 3L));
        CompletableFuture<Void> proposal = node.propose(bytes("nobody leads yet"));

        await(node.status()); // the Raft thread has handled the proposal by now

        assertThat(proposal).isNotDone();
        node.close();
        running.remove(node);
        assertThatThrownBy(() -> await(proposal)).hasCauseInstanceOf(NodeStoppedException.class);
    }

    @Test
    void aSnapshotInTheLogButNotYetInTheStoreIsRestoredBeforeLaterEntriesApply() throws Exception {
        // What a follower leaves behind when it stops between saving a leader's snapshot in its
        // log and restoring its store from it.
        RecordingStateMachine leaderState = new RecordingStateMachine();
        leaderState.apply(List.of(Entry.normal(1, 1, bytes("a")), Entry.normal(1, 2, bytes("b"))),
                ConfState.ofVoters(1L));
        MemoryLogStore log = new MemoryLogStore();
        log.applySnapshot(new Snapshot(new SnapshotMetadata(ConfState.ofVoters(1L), 5, 1), leaderState.snapshotData()));
        RecordingStateMachine restarted = new RecordingStateMachine();

        RaftNode node = start(config(1), log, restarted, List.of());
        node.campaign();
        await(node.linearizableBarrier());
        await(node.propose(bytes("c")));

        assertThat(await(restarted.awaitValues(3))).containsExactly("a", "b", "c");
        assertThat(restarted.restores()).isEqualTo(1);
    }
}
