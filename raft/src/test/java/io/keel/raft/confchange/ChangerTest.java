package io.keel.raft.confchange;

import io.keel.raft.ConfChange;
import io.keel.raft.ConfChangeType;
import io.keel.raft.ConfState;
import io.keel.raft.tracker.ProgressTracker;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangerTest {

    private static ConfChange cc(ConfChangeType type, long id) {
        return new ConfChange(type, id, null);
    }

    @Test
    void learnersArePromotedAndVotersDemotedKeepingTheirProgress() {
        ProgressTracker t = new ProgressTracker(4);
        Changer.restore(t, new ConfState(Set.of(1L, 2L), Set.of(3L)), 10);
        t.progress(3).maybeUpdate(7);
        Changer.apply(t, cc(ConfChangeType.ADD_NODE, 3), 10);
        assertThat(t.confState()).isEqualTo(new ConfState(Set.of(1L, 2L, 3L), Set.of()));
        assertThat(t.progress(3).match()).isEqualTo(7);
        Changer.apply(t, cc(ConfChangeType.ADD_LEARNER_NODE, 2), 10);
        assertThat(t.confState()).isEqualTo(new ConfState(Set.of(1L, 3L), Set.of(2L)));
        assertThat(t.progress(2).isLearner()).isTrue();
    }

    @Test
    void aChangeThatLeavesNoVoterIsRefused() {
        ProgressTracker t = new ProgressTracker(4);
        Changer.restore(t, new ConfState(Set.of(1L), Set.of(2L)), 1);
        assertThat(Changer.validate(t.confState(), cc(ConfChangeType.REMOVE_NODE, 1))).contains("removed all voters");
        assertThat(Changer.validate(t.confState(), cc(ConfChangeType.ADD_LEARNER_NODE, 1)))
                .contains("removed all voters");
        assertThat(Changer.validate(t.confState(), cc(ConfChangeType.REMOVE_NODE, 2))).isNull();
        assertThatThrownBy(() -> Changer.apply(t, cc(ConfChangeType.REMOVE_NODE, 1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(t.confState().voters()).containsExactly(1L);
    }

    @Test
    void newMembersStartProbingAtTheLastIndexAndRemovingAnUnknownMemberIsANoOp() {
        ProgressTracker t = new ProgressTracker(4);
        Changer.restore(t, ConfState.ofVoters(1L), 5);
        Changer.apply(t, cc(ConfChangeType.ADD_NODE, 2), 5);
        assertThat(t.progress(2).next()).isEqualTo(5);
        assertThat(t.progress(2).recentActive()).isTrue();
        Changer.apply(t, cc(ConfChangeType.REMOVE_NODE, 9), 5);
        assertThat(t.confState()).isEqualTo(ConfState.ofVoters(1L, 2L));
    }
}
