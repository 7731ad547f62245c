package io.keel.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.raft.Entry;
import io.keel.raft.HardState;
import io.keel.raft.MemoryStorage;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Feeds the checkers hand-built histories, healthy and corrupted, and asserts each corruption is caught. */
class InvariantsTest {
    private final Invariants inv = new Invariants();

    private static Entry e(long term, long index, int payload) {
        return Entry.normal(term, index, new byte[] {(byte) payload});
    }

    private static MemoryStorage log(Entry... entries) {
        MemoryStorage s = new MemoryStorage();
        s.append(List.of(entries));
        return s;
    }

    private static void assertBroken(String invariant, ThrowingCallable history) {
        assertThatThrownBy(history).isInstanceOf(InvariantViolation.class)
                .satisfies(t -> assertThat(((InvariantViolation) t).invariant()).isEqualTo(invariant));
    }

    @Test
    void healthyHistoryPasses() {
        inv.leaderElected(1, 1, log());
        inv.entriesPersisted(1, 0, List.of(e(1, 1, 1), e(1, 2, 2)));
        inv.entriesPersisted(2, 0, List.of(e(1, 1, 1), e(1, 2, 2)));
        inv.committed(1, 1, 1);
        inv.committed(1, 2, 1);
        KvStateMachine a = new KvStateMachine();
        KvStateMachine b = new KvStateMachine();
        for (Entry x : List.of(e(1, 1, 1), e(1, 2, 2))) {
            a.apply(x);
            inv.applied(1, x, a.chain());
            b.apply(x);
            inv.applied(2, x, b.chain());
        }
        inv.leaderElected(2, 2, log(e(1, 1, 1), e(1, 2, 2)));
        inv.hardStatePersisted(1, new HardState(1, 1, 0));
        inv.hardStatePersisted(1, new HardState(2, 2, 2));
        inv.restarted(1, new HardState(2, 2, 2));
        inv.indexes(1, 2, 2, 2);
    }

    @Test
    void twoLeadersInOneTermAreDetected() {
        inv.leaderElected(1, 5, log());
        inv.leaderElected(1, 5, log());
        assertBroken(Invariants.ONE_LEADER_PER_TERM, () -> inv.leaderElected(2, 5, log()));
    }

    @Test
    void divergentCommittedPrefixesAreDetected() {
        KvStateMachine a = new KvStateMachine();
        KvStateMachine b = new KvStateMachine();
        Entry first = e(1, 1, 1);
        a.apply(first);
        inv.applied(1, first, a.chain());
        b.apply(first);
        inv.applied(2, first, b.chain());
        a.apply(e(1, 2, 2));
        inv.applied(1, e(1, 2, 2), a.chain());
        b.apply(e(2, 2, 9));
        assertBroken(Invariants.STATE_MACHINE_SAFETY, () -> inv.applied(2, e(2, 2, 9), b.chain()));
    }

    @Test
    void divergenceBehindASnapshotIsDetected() {
        KvStateMachine a = new KvStateMachine();
        a.apply(e(1, 1, 1));
        inv.applied(1, e(1, 1, 1), a.chain());
        KvStateMachine other = new KvStateMachine();
        other.apply(e(1, 1, 7));
        assertBroken(Invariants.STATE_MACHINE_SAFETY, () -> inv.restored(2, 1, other.chain()));
    }

    @Test
    void skippedOrRepeatedApplicationIsDetected() {
        KvStateMachine a = new KvStateMachine();
        a.apply(e(1, 1, 1));
        inv.applied(1, e(1, 1, 1), a.chain());
        assertBroken(Invariants.STATE_MACHINE_SAFETY, () -> inv.applied(1, e(1, 3, 3), 42));
        assertBroken(Invariants.STATE_MACHINE_SAFETY, () -> inv.applied(1, e(1, 1, 1), a.chain()));
    }

    @Test
    void conflictingCommittedTermsAreDetected() {
        inv.committed(1, 4, 2);
        assertBroken(Invariants.STATE_MACHINE_SAFETY, () -> inv.committed(2, 4, 3));
    }

    @Test
    void twoEntriesAtTheSameIndexAndTermBreakLogMatching() {
        inv.entriesPersisted(1, 0, List.of(e(1, 1, 1)));
        assertBroken(Invariants.LOG_MATCHING, () -> inv.entriesPersisted(2, 0, List.of(e(1, 1, 2))));
    }

    @Test
    void equalEntriesOnDifferentPrefixesBreakLogMatching() {
        inv.entriesPersisted(1, 0, List.of(e(1, 1, 1), e(3, 2, 5)));
        assertBroken(Invariants.LOG_MATCHING,
                () -> inv.entriesPersisted(2, 0, List.of(e(2, 1, 1), e(3, 2, 5))));
    }

    @Test
    void leaderMissingACommittedEntryIsDetected() {
        inv.committed(1, 1, 1);
        inv.committed(1, 2, 1);
        assertBroken(Invariants.LEADER_COMPLETENESS, () -> inv.leaderElected(3, 2, log(e(1, 1, 1))));
        assertBroken(Invariants.LEADER_COMPLETENESS, () -> inv.leaderElected(4, 3, log(e(1, 1, 1), e(2, 2, 2))));
        inv.leaderElected(5, 4, log(e(1, 1, 1), e(1, 2, 2), e(4, 3, 0)));
    }

    @Test
    void termGoingBackAcrossRestartIsDetected() {
        inv.hardStatePersisted(1, new HardState(4, 2, 3));
        assertBroken(Invariants.DURABLE_TERM, () -> inv.restarted(1, new HardState(3, 0, 3)));
        assertBroken(Invariants.DURABLE_TERM, () -> inv.hardStatePersisted(1, new HardState(3, 0, 3)));
    }

    @Test
    void changedVoteWithinATermIsDetected() {
        inv.hardStatePersisted(1, new HardState(4, 2, 0));
        assertBroken(Invariants.DURABLE_VOTE, () -> inv.restarted(1, new HardState(4, 3, 0)));
        inv.voteGranted(1, 4, 2, new HardState(4, 2, 0));
        assertBroken(Invariants.DURABLE_VOTE, () -> inv.voteGranted(1, 4, 3, new HardState(4, 3, 0)));
    }

    @Test
    void voteSentBeforeItIsDurableIsDetected() {
        assertBroken(Invariants.PERSIST_BEFORE_SEND, () -> inv.voteGranted(1, 5, 2, new HardState(4, 0, 0)));
        assertBroken(Invariants.PERSIST_BEFORE_SEND, () -> inv.appendAcked(1, 9, 8));
        inv.appendAcked(1, 8, 8);
    }

    @Test
    void commitRegressionAndIndexDisorderAreDetected() {
        inv.hardStatePersisted(1, new HardState(1, 1, 5));
        assertBroken(Invariants.INDEX_ORDER, () -> inv.hardStatePersisted(1, new HardState(1, 1, 4)));
        assertBroken(Invariants.INDEX_ORDER, () -> inv.indexes(1, 6, 5, 7));
        assertBroken(Invariants.INDEX_ORDER, () -> inv.indexes(1, 5, 8, 7));
    }

    @Test
    void staleReadIsDetected() {
        KvStateMachine stale = new KvStateMachine();
        stale.apply(Entry.normal(1, 1, KvStateMachine.write(0, 1)));
        KvStateMachine fresh = new KvStateMachine();
        fresh.apply(Entry.normal(1, 1, KvStateMachine.write(0, 1)));
        fresh.apply(Entry.normal(1, 2, KvStateMachine.write(0, 2)));

        Invariants.ReadRequest before = inv.readRequested();
        inv.writeAcknowledged(0, 2);
        Invariants.ReadRequest after = inv.readRequested();

        inv.readServed(1, before, 1, stale);
        inv.readServed(1, after, 2, fresh);
        assertBroken(Invariants.LINEARIZABLE_READ, () -> inv.readServed(2, after, 1, stale));
        assertBroken(Invariants.LINEARIZABLE_READ, () -> inv.readServed(2, before, 2, stale));
        assertThat(inv.readsChecked()).isEqualTo(2);
    }

    @Test
    void leaderOverwritingItsLogIsDetected() {
        inv.leaderAppends(1, 3, 8, 7);
        assertBroken(Invariants.LEADER_APPEND_ONLY, () -> inv.leaderAppends(1, 3, 6, 7));
    }

    @Test
    void overwritingACommittedEntryIsDetected() {
        inv.entryReplaced(1, 6, 2, 3, 5);
        inv.entryReplaced(1, 5, 2, 2, 5);
        assertBroken(Invariants.COMMITTED_NEVER_OVERWRITTEN, () -> inv.entryReplaced(1, 5, 2, 3, 5));
    }

    @Test
    void commitWithoutAMajorityIsDetected() {
        java.util.Map<Long, MemoryStorage> disks = java.util.Map.of(
                1L, log(e(1, 1, 1), e(2, 2, 2)), 2L, log(e(1, 1, 1), e(2, 2, 2)), 3L, log(e(1, 1, 1)),
                4L, log(e(1, 1, 1)), 5L, log(e(1, 1, 1), e(3, 2, 9)));
        java.util.Set<Long> five = java.util.Set.of(1L, 2L, 3L, 4L, 5L);
        inv.leaderCommitted(1, 1, 1, five, disks::get);
        inv.leaderCommitted(1, 2, 2, java.util.Set.of(1L, 2L, 3L), disks::get);
        assertBroken(Invariants.COMMIT_NEEDS_QUORUM, () -> inv.leaderCommitted(1, 2, 2, five, disks::get));
    }

    @Test
    void aLateLeaderOfAnOlderTermNeedNotHoldEntriesCommittedAfterIt() {
        inv.committed(1, 1, 1, 1);
        inv.committed(1, 2, 3, 3);
        inv.leaderElected(2, 2, log(e(1, 1, 1), e(2, 2, 5)));
        assertBroken(Invariants.LEADER_COMPLETENESS, () -> inv.leaderElected(3, 4, log(e(1, 1, 1), e(2, 2, 5))));
    }
}
