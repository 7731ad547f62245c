package io.keel.server.raftnode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a starting member moves its election clock: at once alone, at the first active peer otherwise. */
class ElectionTickAdvanceTest {
    @Test
    void aSingleVoterAdvancesAtOnceToOneTickShortOfATimeout() {
        ElectionTickAdvance a = new ElectionTickAdvance(true, 10);
        assertThat(a.atStart(1)).isEqualTo(9);
        assertThat(a.onPeerActive(false)).isZero();
    }

    @Test
    void aMemberOfSeveralWaitsForTheFirstActivePeerThenAdvancesOnce() {
        ElectionTickAdvance a = new ElectionTickAdvance(true, 10);
        assertThat(a.atStart(3)).as("no campaign before a peer can hear it").isZero();
        assertThat(a.onPeerActive(false)).isEqualTo(8);
        assertThat(a.onPeerActive(false)).as("only the first connection counts").isZero();
    }

    @Test
    void aMemberThatAlreadyKnowsALeaderDoesNotAdvance() {
        ElectionTickAdvance a = new ElectionTickAdvance(true, 10);
        assertThat(a.atStart(3)).isZero();
        assertThat(a.onPeerActive(true)).isZero();
        assertThat(a.onPeerActive(false)).isZero();
    }

    @Test
    void switchedOffNothingIsAdvanced() {
        ElectionTickAdvance a = new ElectionTickAdvance(false, 10);
        assertThat(a.atStart(1)).isZero();
        assertThat(a.atStart(3)).isZero();
        assertThat(a.onPeerActive(false)).isZero();
    }
}
