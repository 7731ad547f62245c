package io.keel.raft.tracker;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {

    @Test
    void staleAcknowledgementsNeverMoveMatchBackwards() {
        Progress pr = new Progress(5, 6, 4, false);
        assertThat(pr.maybeUpdate(4)).isFalse();
        assertThat(pr.match()).isEqualTo(5);
        assertThat(pr.maybeUpdate(8)).isTrue();
        assertThat(pr.next()).isEqualTo(9);
    }

    @Test
    void aProbingFollowerBacktracksOnlyOnARejectionOfTheLastProbe() {
        Progress pr = new Progress(2, 10, 4, false);
        assertThat(pr.maybeDecrTo(5, 5)).isFalse(); // not the probe we sent (9)
        assertThat(pr.maybeDecrTo(9, 4)).isTrue();
        assertThat(pr.next()).isEqualTo(5);
        assertThat(pr.maybeDecrTo(4, 0)).isTrue();
        assertThat(pr.next()).isEqualTo(3); // never below match + 1
    }

    @Test
    void aReplicatingFollowerFallsBackToMatchPlusOneOnARejection() {
        Progress pr = new Progress(5, 6, 4, false);
        pr.becomeReplicate();
        pr.optimisticUpdate(10);
        assertThat(pr.maybeDecrTo(4, 4)).isFalse(); // at or below match: stale
        assertThat(pr.maybeDecrTo(8, 7)).isTrue();
        assertThat(pr.next()).isEqualTo(6);
    }

    @Test
    void pausedDependsOnTheState() {
        Progress pr = new Progress(0, 1, 1, false);
        assertThat(pr.isPaused()).isFalse();
        pr.setProbeSent(true);
        assertThat(pr.isPaused()).isTrue();
        pr.becomeReplicate();
        assertThat(pr.isPaused()).isFalse();
        pr.inflights().add(1);
        assertThat(pr.isPaused()).isTrue();
        pr.becomeSnapshot(7);
        assertThat(pr.isPaused()).isTrue();
        pr.becomeProbe();
        assertThat(pr.next()).isEqualTo(8); // resumes after the snapshot
    }
}
