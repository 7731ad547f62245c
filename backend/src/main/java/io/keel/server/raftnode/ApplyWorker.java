package io.keel.server.raftnode;

import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.Snapshot;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * The apply thread's body: applies committed entries in log order, advances the applied index,
 * and asks the Raft thread for a local snapshot every {@code snapshotCount} entries.
 *
 * <p>Confined to the apply thread; communicates only through its queue, the
 * {@link AppliedIndexWaiter} and {@code snapshotRequests}.
 */
final class ApplyWorker implements Runnable {
    private final BlockingQueue<ApplyTask> tasks;
    private final StateMachine stateMachine;
    private final AppliedIndexWaiter applied;
    private final long snapshotCount;
    private final Consumer<NodeInput.TakeSnapshot> snapshotRequests;
    private final Consumer<Throwable> onFatal;
    private long lastSnapshotIndex;

    ApplyWorker(BlockingQueue<ApplyTask> tasks, StateMachine stateMachine, AppliedIndexWaiter applied,
                long snapshotCount, long lastSnapshotIndex, Consumer<NodeInput.TakeSnapshot> snapshotRequests,
                Consumer<Throwable> onFatal) {
        this.tasks = tasks;
        this.stateMachine = stateMachine;
        this.applied = applied;
        this.snapshotCount = snapshotCount;
        this.lastSnapshotIndex = lastSnapshotIndex;
        this.snapshotRequests = snapshotRequests;
        this.onFatal = onFatal;
    }

    @Override
    public void run() {
        try {
            while (true) {
                ApplyTask task = tasks.take();
                if (task instanceof ApplyTask.Stop) {
                    return;
                }
                handle(task);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            onFatal.accept(t);
        }
    }

    private void handle(ApplyTask task) {
        if (task instanceof ApplyTask.Restore restore) {
            Snapshot snap = restore.snapshot();
            stateMachine.restore(snap);
            lastSnapshotIndex = snap.metadata().index();
            applied.advance(snap.metadata().index());
            return;
        }
        ApplyTask.Entries batch = (ApplyTask.Entries) task;
        List<Entry> entries = batch.entries();
        if (entries.isEmpty()) {
            return;
        }
        stateMachine.apply(entries, batch.confState());
        long last = entries.get(entries.size() - 1).index();
        // Snapshot before waking waiters: anyone who saw index `last` applied can rely on the
        // snapshot request being queued ahead of their next input to the Raft thread.
        maybeSnapshot(last, batch.confState());
        applied.advance(last);
    }

    private void maybeSnapshot(long appliedIndex, ConfState confState) {
        if (appliedIndex - lastSnapshotIndex < snapshotCount) {
            return;
        }
        // StateMachine.apply advances its consistent index to the batch's last entry, so the data
        // taken now is the state at appliedIndex.
        snapshotRequests.accept(new NodeInput.TakeSnapshot(appliedIndex, confState, stateMachine.snapshotData()));
        lastSnapshotIndex = appliedIndex;
    }
}
