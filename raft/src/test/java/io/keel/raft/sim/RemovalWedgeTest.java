package io.keel.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RemovalWedgeTest {
    @Test
    void aTwoVoterRemovalWhoseCommitTheSurvivorNeverLearnedIsTheHazard() {
        // 5 and 103 voted; 103's removal committed at 41, 103 stopped, 5 knows only up to 40.
        var survivor = new RemovalWedge.Survivor(5, Set.of(5L, 103L), 40);
        assertThat(RemovalWedge.explains(List.of(survivor), Map.of(103L, 41L), Set.of(103L))).isTrue();
    }

    @Test
    void aSurvivorThatCommittedTheRemovalButStillCountsTheMemberIsABug() {
        var survivor = new RemovalWedge.Survivor(5, Set.of(5L, 103L), 41);
        assertThat(RemovalWedge.explains(List.of(survivor), Map.of(103L, 41L), Set.of(103L))).isFalse();
    }

    @Test
    void aStoppedMemberThatWasNeverRemovedIsNotTheHazard() {
        var survivor = new RemovalWedge.Survivor(5, Set.of(5L, 103L), 40);
        assertThat(RemovalWedge.explains(List.of(survivor), Map.of(), Set.of(103L))).isFalse();
    }

    @Test
    void anySurvivorWithALiveQuorumMeansALeaderWasPossible() {
        // 4 still counts the removed 3 but has 1, 2 and itself: three of four, a quorum.
        var stale = new RemovalWedge.Survivor(4, Set.of(1L, 2L, 3L, 4L), 6);
        var current = new RemovalWedge.Survivor(1, Set.of(1L, 2L, 4L), 7);
        assertThat(RemovalWedge.explains(List.of(stale, current), Map.of(3L, 7L), Set.of(3L))).isFalse();
    }

    @Test
    void survivorsWithoutAnyConfigurationExplainNothing() {
        var fresh = new RemovalWedge.Survivor(100, Set.of(), 0);
        assertThat(RemovalWedge.explains(List.of(fresh), Map.of(), Set.of())).isFalse();
    }
}
