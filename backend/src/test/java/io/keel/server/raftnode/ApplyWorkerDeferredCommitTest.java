package io.keel.server.raftnode;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A state machine may hold applied changes back from disk for a while (the store's deferred
 * commit): the apply thread commits them when they are due even if no more work arrives, and
 * before it stops, so nobody closing the store waits for a transaction only this thread can end.
 */
class ApplyWorkerDeferredCommitTest {

    /** Holds every applied batch back until {@link #commitPending()}; due {@code delayNanos} after the first. */
    private static final class DeferringStateMachine implements StateMachine {
        private final long delayNanos;
        private final CountDownLatch committed = new CountDownLatch(1);
        volatile long applied;
        volatile long heldSince = -1;
        final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());

        DeferringStateMachine(long delayNanos) {
            this.delayNanos = delayNanos;
        }

        @Override
        public long appliedIndex() {
            return applied;
        }

        @Override
        public void apply(List<Entry> entries, ConfState confState) {
            applied = entries.get(entries.size() - 1).index();
            if (heldSince < 0) {
                heldSince = System.nanoTime();
            }
            events.add("apply " + applied);
        }

        @Override
        public long pendingCommitDelayNanos() {
            return heldSince < 0 ? Long.MAX_VALUE : heldSince + delayNanos - System.nanoTime();
        }

        @Override
        public void commitPending() {
            if (heldSince >= 0) {
                heldSince = -1;
                events.add("commit " + applied);
                committed.countDown();
            }
        }

        @Override
        public void restore(Snapshot snapshot) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] snapshotData() {
            return new byte[0];
        }
    }

    private static ApplyWorker worker(LinkedBlockingQueue<ApplyTask> tasks, StateMachine sm, List<Throwable> fatal) {
        return new ApplyWorker(tasks, sm, new AppliedIndexWaiter(0), 1_000_000, 0, t -> { }, messages -> { }, fatal::add);
    }

    @Test
    void heldBackChangesAreCommittedWhenDueWithoutFurtherWork() throws Exception {
        DeferringStateMachine sm = new DeferringStateMachine(TimeUnit.MILLISECONDS.toNanos(20));
        LinkedBlockingQueue<ApplyTask> tasks = new LinkedBlockingQueue<>();
        List<Throwable> fatal = new ArrayList<>();
        Thread t = new Thread(worker(tasks, sm, fatal), "apply-under-test");
        t.start();
        try {
            tasks.add(new ApplyTask.Entries(List.of(Entry.normal(1, 1, new byte[] {1})), ConfState.ofVoters(1L)));
            // Nothing else is queued: only the worker's own timed wait can commit.
            assertThat(sm.committed.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(sm.events).containsExactly("apply 1", "commit 1");
        } finally {
            tasks.add(new ApplyTask.Stop());
            t.join(30_000);
        }
        assertThat(fatal).isEmpty();
    }

    @Test
    void stoppingCommitsWhatIsHeldBack() {
        DeferringStateMachine sm = new DeferringStateMachine(TimeUnit.HOURS.toNanos(1));
        LinkedBlockingQueue<ApplyTask> tasks = new LinkedBlockingQueue<>();
        tasks.add(new ApplyTask.Entries(List.of(Entry.normal(1, 1, new byte[] {1})), ConfState.ofVoters(1L)));
        tasks.add(new ApplyTask.Stop());
        List<Throwable> fatal = new ArrayList<>();
        worker(tasks, sm, fatal).run(); // returns at the Stop task
        assertThat(fatal).isEmpty();
        assertThat(sm.events).containsExactly("apply 1", "commit 1");
    }
}
