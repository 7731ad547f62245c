package io.keel.server.raftnode;

import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.Message;
import io.keel.raft.Snapshot;

import java.util.ArrayList;
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
    /** Most entries joined from several queued hand-overs into one apply call. */
    private static final int MAX_JOINED_ENTRIES = 1_000;
    private static final long IDLE = Long.MIN_VALUE;
    private final BlockingQueue<ApplyTask> tasks;
    private final StateMachine stateMachine;
    private final AppliedIndexWaiter applied;
    private final long snapshotCount;
    private final Consumer<NodeInput.TakeSnapshot> snapshotRequests;
    private final Consumer<Throwable> onFatal;
    private final PeerSender snapshotSender;
    private long lastSnapshotIndex;
    /** The last applied entry's index and term and Raft's configuration after it (0/null: none yet). */
    private long appliedIndex;
    private long appliedTerm;
    private ConfState appliedConf;
    /** When the task being applied began (System.nanoTime()); {@link #IDLE} while waiting for one. */
    private volatile long busySince = IDLE;
    /** Told the peer of a snapshot that cannot be built yet (Raft then retries it later). */
    private java.util.function.LongConsumer snapshotUnavailable = peer -> { };

    ApplyWorker(BlockingQueue<ApplyTask> tasks, StateMachine stateMachine, AppliedIndexWaiter applied,
                long snapshotCount, long lastSnapshotIndex, Consumer<NodeInput.TakeSnapshot> snapshotRequests,
                PeerSender snapshotSender, Consumer<Throwable> onFatal) {
        this.snapshotSender = snapshotSender;
        this.tasks = tasks;
        this.stateMachine = stateMachine;
        this.applied = applied;
        this.snapshotCount = snapshotCount;
        this.lastSnapshotIndex = lastSnapshotIndex;
        this.snapshotRequests = snapshotRequests;
        this.onFatal = onFatal;
    }

    /**
     * After a restart: the store already holds everything up to {@code index} (Raft resumes after
     * it, {@link RestartPoint}), so a snapshot for a follower can be built from it at once.
     * Before the apply thread starts.
     */
    void resumeAt(long index, long term, ConfState conf, java.util.function.LongConsumer onSnapshotUnavailable) {
        if (index > 0) {
            this.appliedIndex = index;
            this.appliedTerm = term;
            this.appliedConf = conf;
        }
        this.snapshotUnavailable = onSnapshotUnavailable;
    }

    @Override
    public void run() {
        try {
            while (true) {
                // A deferred commit is due after a while even when no more work comes.
                long delay = stateMachine.pendingCommitDelayNanos();
                ApplyTask task = delay == Long.MAX_VALUE ? tasks.take()
                        : tasks.poll(Math.max(0, delay), java.util.concurrent.TimeUnit.NANOSECONDS);
                if (task == null) {
                    stateMachine.commitPending();
                    continue;
                }
                if (task instanceof ApplyTask.Stop) {
                    stateMachine.commitPending();
                    return;
                }
                busySince = System.nanoTime();
                handle(task instanceof ApplyTask.Entries entries ? withQueuedEntries(entries) : task);
                busySince = IDLE;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            commitPendingQuietly();
        } catch (Throwable t) {
            commitPendingQuietly();
            onFatal.accept(t);
        }
    }

    /** How long the task being applied has taken so far; 0 while waiting for one. Any thread. */
    long busyNanos() {
        long since = busySince;
        return since == IDLE ? 0 : Math.max(1, System.nanoTime() - since);
    }

    /**
     * On the way out, whatever ended the loop: commit what was held back, so that nobody who
     * closes the store waits for this thread (LMDB binds the open transaction to it). A failure
     * here is the store's to report; the entries are in the Raft log either way.
     */
    private void commitPendingQuietly() {
        try {
            stateMachine.commitPending();
        } catch (RuntimeException e) {
            // already fatal, or the store is closing: restart replays the entries from the log
        }
    }

    /**
     * Joins the entries already queued behind {@code first} (while applying lagged, the Raft
     * thread handed over several Readys' worth), so the state machine commits them as one group.
     * Stops at any other task, which must see the state exactly as of its place in the queue.
     */
    private ApplyTask.Entries withQueuedEntries(ApplyTask.Entries first) {
        if (!(tasks.peek() instanceof ApplyTask.Entries)) {
            return first;
        }
        List<Entry> joined = new ArrayList<>(first.entries());
        ConfState conf = first.confState();
        // Only this thread takes from the queue: what peek saw is what poll returns.
        while (joined.size() < MAX_JOINED_ENTRIES && tasks.peek() instanceof ApplyTask.Entries next) {
            tasks.poll();
            joined.addAll(next.entries());
            conf = next.confState();
        }
        return new ApplyTask.Entries(joined, conf);
    }

    private void handle(ApplyTask task) {
        if (task instanceof ApplyTask.Restore restore) {
            Snapshot snap = restore.snapshot();
            stateMachine.restore(snap);
            lastSnapshotIndex = snap.metadata().index();
            applied.advance(snap.metadata().index());
            appliedIndex = snap.metadata().index();
            appliedTerm = snap.metadata().term();
            appliedConf = snap.metadata().confState();
            return;
        }
        if (task instanceof ApplyTask.SendSnapshot send) {
            Message m = send.message();
            // After a restart the store may be ahead of the entries re-delivered so far; merge only
            // when the store's state is exactly the tracked index's.
            // Local snapshots carry no data (see maybeSnapshot): a follower's snapshot is always
            // the store's state, which is at least as new as the stored snapshot.
            // Raft's configuration is unknown between a conf change and its Configured task.
            boolean current = appliedTerm != 0 && appliedConf != null && appliedIndex >= m.snapshot().metadata().index()
                    && appliedIndex == stateMachine.appliedIndex();
            if (current) {
                snapshotSender.send(List.of(
                        MergedSnapshots.merge(m, appliedIndex, appliedTerm, appliedConf, stateMachine.snapshotData())));
            } else if (m.snapshot().data().length > 0) {
                snapshotSender.send(List.of(m)); // a leader's snapshot installed here and not yet superseded
            } else {
                snapshotUnavailable.accept(m.to()); // never send a state-less snapshot; Raft retries
            }
            return;
        }
        if (task instanceof ApplyTask.ConfChangeEntries withConfChange) {
            applyConfChange(withConfChange);
            return;
        }
        if (task instanceof ApplyTask.Configured configured) {
            if (appliedIndex == configured.index()) {
                appliedConf = configured.confState();
                maybeSnapshot(appliedIndex, appliedConf);
            }
            return;
        }
        ApplyTask.Entries batch = (ApplyTask.Entries) task;
        List<Entry> entries = batch.entries();
        if (entries.isEmpty()) {
            return;
        }
        stateMachine.apply(entries, batch.confState());
        Entry lastEntry = entries.get(entries.size() - 1);
        long last = lastEntry.index();
        appliedIndex = last;
        appliedTerm = lastEntry.term();
        appliedConf = batch.confState();
        // Snapshot before waking waiters: anyone who saw index `last` applied can rely on the
        // snapshot request being queued ahead of their next input to the Raft thread.
        maybeSnapshot(last, batch.confState());
        applied.advance(last);
    }

    /**
     * Applies a batch that ends with a conf change and tells the waiting Raft thread whether the
     * state machine took the change. Raft's configuration after it is unknown until the Raft thread
     * has acted on that (a {@link ApplyTask.Configured} follows), so no snapshot is taken or merged
     * here.
     */
    private void applyConfChange(ApplyTask.ConfChangeEntries batch) {
        List<Entry> entries = batch.entries();
        stateMachine.apply(entries, null);
        Entry confChange = entries.get(entries.size() - 1);
        appliedIndex = confChange.index();
        appliedTerm = confChange.term();
        appliedConf = null;
        batch.accepted().complete(!stateMachine.confChangeRefused(confChange.index()));
        applied.advance(confChange.index());
    }

    private void maybeSnapshot(long appliedIndex, ConfState confState) {
        if (appliedIndex - lastSnapshotIndex < snapshotCount) {
            return;
        }
        // On restart the log is replayed only after the newest local snapshot, and Raft compacts
        // the log behind it: the state up to the snapshot's index must be on disk, not only in
        // the page cache, or a power loss would lose entries nobody replays. One sync per
        // snapshot (every snapshotCount entries) costs nothing next to the batches' commits.
        stateMachine.sync();
        if (stateMachine.durableIndex() < appliedIndex) {
            return; // not durable (a failed sync throws instead): keep the log, try after the next batch
        }
        // No data: the store itself, durable up to here (above), is the state at appliedIndex, so
        // the snapshot only marks where the log may be compacted (as etcd's v3 backend is not in
        // its snap files). Copying the whole store into the heap here ran a 1 GiB member out of
        // memory at about 500,000 keys of 256 bytes, and kept a store-sized array alive.
        snapshotRequests.accept(new NodeInput.TakeSnapshot(appliedIndex, confState, new byte[0]));
        lastSnapshotIndex = appliedIndex;
    }
}
