package io.keel.server.raftnode;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.Snapshot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * A local snapshot is what Raft compacts its log behind, and what a restart replays the log
 * after: the apply thread must never ask for one beyond what the state machine has on disk (its
 * durable index), or a power loss would lose entries that neither the store nor the log still
 * has. The state machine here models LMDB without a sync per commit: applied state is durable
 * only after {@link StateMachine#sync()}.
 */
class ApplyWorkerDurabilityTest {

    /** Applied state reaches "disk" only on sync (if syncs work at all). */
    private static final class PageCacheStateMachine implements StateMachine {
        private final boolean syncWorks;
        long applied;
        long durable;
        int syncs;

        PageCacheStateMachine(boolean syncWorks) {
            this.syncWorks = syncWorks;
        }

        @Override
        public long appliedIndex() {
            return applied;
        }

        @Override
        public long durableIndex() {
            return durable;
        }

        @Override
        public void sync() {
            syncs++;
            if (syncWorks) {
                durable = applied;
            }
        }

        @Override
        public void apply(List<Entry> entries, ConfState confState) {
            applied = entries.get(entries.size() - 1).index();
        }

        @Override
        public void restore(Snapshot snapshot) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] snapshotData() {
            return ("state@" + applied).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A snapshot request and the state machine's durable index when it was made. */
    private record Requested(long index, long durableThen, String data) {
    }

    private static List<Requested> run(PageCacheStateMachine sm, int entries, int perBatch, long snapshotCount) {
        LinkedBlockingQueue<ApplyTask> tasks = new LinkedBlockingQueue<>();
        for (int first = 1; first <= entries; first += perBatch) {
            List<Entry> batch = new ArrayList<>();
            for (int i = first; i < first + perBatch && i <= entries; i++) {
                batch.add(Entry.normal(1, i, new byte[] {1}));
            }
            tasks.add(new ApplyTask.Entries(batch, ConfState.ofVoters(1L)));
        }
        tasks.add(new ApplyTask.Stop());
        List<Requested> requested = new ArrayList<>();
        List<Throwable> fatal = new ArrayList<>();
        ApplyWorker worker = new ApplyWorker(tasks, sm, new AppliedIndexWaiter(0), snapshotCount, 0,
                t -> requested.add(new Requested(t.index(), sm.durable, new String(t.data(), StandardCharsets.UTF_8))),
                messages -> { }, fatal::add);
        worker.run(); // returns at the Stop task
        assertThat(fatal).isEmpty();
        return requested;
    }

    @Test
    void snapshotsAreTakenOnlyOfStateThatIsOnDisk() {
        PageCacheStateMachine sm = new PageCacheStateMachine(true);
        List<Requested> requested = run(sm, 40, 3, 5);
        assertThat(requested).isNotEmpty();
        for (Requested r : requested) {
            assertThat(r.index()).as("snapshot index vs durable index").isLessThanOrEqualTo(r.durableThen());
            assertThat(r.data()).as("local snapshots carry no state: the durable store is it").isEmpty();
        }
        assertThat(sm.applied).isEqualTo(40);
    }

    @Test
    void whenTheStateCannotBeMadeDurableTheLogIsNeverReleased() {
        PageCacheStateMachine sm = new PageCacheStateMachine(false);
        List<Requested> requested = run(sm, 40, 3, 5);
        assertThat(requested).isEmpty();
        assertThat(sm.syncs).isPositive();
        assertThat(sm.applied).isEqualTo(40);
    }
}
