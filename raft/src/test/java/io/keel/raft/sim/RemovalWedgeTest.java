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
    void aLearnerWhoseConfigurationHasALiveQuorumCannotLeadSoItDoesNotCount() {
        // Seed 50013888 (1,000 chaos ticks): learner 104 learned the removal of 100 committed
        // (voters {2}), voter 2 did not (voters {2, 100}) and only 2 can campaign.
        var voter = new RemovalWedge.Survivor(2, Set.of(2L, 100L), 237);
        var learner = new RemovalWedge.Survivor(104, Set.of(2L), 238);
        assertThat(RemovalWedge.explains(List.of(voter, learner), Map.of(100L, 238L), Set.of(100L))).isTrue();
    }

    @Test
    void survivorsWithoutAnyConfigurationExplainNothing() {
        var fresh = new RemovalWedge.Survivor(100, Set.of(), 0);
        assertThat(RemovalWedge.explains(List.of(fresh), Map.of(), Set.of())).isFalse();
    }
}
