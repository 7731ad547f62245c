package io.keel.server.lifecycle;

import io.keel.raft.RaftStatus;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LeadershipHandOffTest {
    private static RaftStatus.ProgressView progress(long match, boolean learner) {
        return new RaftStatus.ProgressView(match, match + 1, "replicate", true, learner);
    }

    @Test
    void theMostCaughtUpVoterIsChosenNeverALearnerOrItself() {
        RaftStatus status = new RaftStatus(1, null, null, 0, 0, null, Map.of(
                1L, progress(100, false), 2L, progress(90, false), 3L, progress(99, false), 4L, progress(100, true)));

        assertThat(LeadershipHandOff.mostCaughtUpVoter(status)).isEqualTo(3L);
    }

    @Test
    void aLoneVoterHasNobodyToHandOverTo() {
        RaftStatus status = new RaftStatus(1, null, null, 0, 0, null, Map.of(1L, progress(5, false),
                4L, progress(5, true)));

        assertThat(LeadershipHandOff.mostCaughtUpVoter(status)).isZero();
    }
}
