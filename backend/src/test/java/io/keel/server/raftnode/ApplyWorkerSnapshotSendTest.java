package io.keel.server.raftnode;

import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.Message;
import io.keel.raft.MessageType;
import io.keel.raft.Snapshot;
import io.keel.raft.SnapshotMetadata;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Local snapshots carry no data (the durable store is the state), so a snapshot sent to a
 * follower must always be rebuilt from the store, and never go out empty.
 */
class ApplyWorkerSnapshotSendTest {
    private final List<Message> sent = new ArrayList<>();
    private final List<Long> unavailable = new ArrayList<>();

    private static Message snapTo(long peer, long index, byte[] data) {
        return Message.builder(MessageType.SNAP).to(peer).from(1).term(2)
                .snapshot(new Snapshot(new SnapshotMetadata(ConfState.ofVoters(1L, 2L), index, 2), data)).build();
    }

    private void run(RecordingStateMachine sm, long resumeAt, ApplyTask... tasks) {
        LinkedBlockingQueue<ApplyTask> queue = new LinkedBlockingQueue<>(List.of(tasks));
        queue.add(new ApplyTask.Stop());
        List<Throwable> fatal = new ArrayList<>();
        ApplyWorker worker = new ApplyWorker(queue, sm, new AppliedIndexWaiter(sm.appliedIndex()), 1_000, 0,
                t -> { }, sent::addAll, fatal::add);
        worker.resumeAt(resumeAt, resumeAt > 0 ? 2 : 0, ConfState.ofVoters(1L, 2L), unavailable::add);
        worker.run();
        assertThat(fatal).isEmpty();
    }

    @Test
    void aLocalSnapshotAtTheAppliedIndexIsSentWithTheStoresState() {
        RecordingStateMachine sm = new RecordingStateMachine();
        sm.apply(List.of(Entry.normal(2, 1, "a".getBytes(StandardCharsets.UTF_8)),
                Entry.normal(2, 2, "b".getBytes(StandardCharsets.UTF_8))), ConfState.ofVoters(1L, 2L));
        run(sm, 0, new ApplyTask.Entries(List.of(Entry.normal(2, 3, "c".getBytes(StandardCharsets.UTF_8))),
                ConfState.ofVoters(1L, 2L)), new ApplyTask.SendSnapshot(snapTo(2, 3, new byte[0])));

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).snapshot().metadata().index()).isEqualTo(3);
        assertThat(sent.get(0).snapshot().data()).isEqualTo(sm.snapshotData()).isNotEmpty();
        assertThat(unavailable).isEmpty();
    }

    @Test
    void afterARestartTheStoreAtTheRestartPointIsSentBeforeAnyNewEntryApplies() {
        RecordingStateMachine sm = new RecordingStateMachine().holdingUpTo(7, List.of("x"));
        run(sm, 7, new ApplyTask.SendSnapshot(snapTo(2, 5, new byte[0])));

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).snapshot().metadata().index()).isEqualTo(7);
        assertThat(sent.get(0).snapshot().metadata().term()).isEqualTo(2);
        assertThat(sent.get(0).snapshot().data()).isEqualTo(sm.snapshotData());
    }

    @Test
    void anEmptySnapshotThatCannotBeRebuiltIsNeverSentAndRaftIsTold() {
        RecordingStateMachine sm = new RecordingStateMachine();
        run(sm, 0, new ApplyTask.SendSnapshot(snapTo(3, 5, new byte[0])));

        assertThat(sent).isEmpty();
        assertThat(unavailable).containsExactly(3L);
    }

    @Test
    void aLeadersSnapshotInstalledHereIsForwardedAsItIsUntilTheStorePassesIt() {
        RecordingStateMachine sm = new RecordingStateMachine();
        byte[] leaderState = "leader-state".getBytes(StandardCharsets.UTF_8);
        run(sm, 0, new ApplyTask.SendSnapshot(snapTo(3, 5, leaderState)));

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).snapshot().data()).isEqualTo(leaderState);
        assertThat(unavailable).isEmpty();
    }
}
