package io.keel.raft.quorum;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MajorityConfigTest {

    @Test
    void committedIndexIsTheHighestIndexAMajorityHasAcknowledged() {
        Map<Long, Long> acked = Map.of(1L, 5L, 2L, 3L, 3L, 9L, 4L, 1L, 5L, 4L);
        assertThat(MajorityConfig.committedIndex(Set.of(1L, 2L, 3L, 4L, 5L), acked::get)).isEqualTo(4);
        assertThat(MajorityConfig.committedIndex(Set.of(1L, 2L, 3L), acked::get)).isEqualTo(5);
        assertThat(MajorityConfig.committedIndex(Set.of(1L, 2L), acked::get)).isEqualTo(3);
        assertThat(MajorityConfig.committedIndex(Set.of(3L), acked::get)).isEqualTo(9);
        assertThat(MajorityConfig.committedIndex(Set.of(), acked::get)).isZero();
    }

    @Test
    void voteResultNeedsAMajorityOfGrantsAndIgnoresNonVoters() {
        Set<Long> voters = Set.of(1L, 2L, 3L);
        assertThat(MajorityConfig.voteResult(voters, Map.of(1L, true))).isEqualTo(VoteResult.PENDING);
        assertThat(MajorityConfig.voteResult(voters, Map.of(1L, true, 2L, true))).isEqualTo(VoteResult.WON);
        assertThat(MajorityConfig.voteResult(voters, Map.of(1L, true, 2L, false, 3L, false)))
                .isEqualTo(VoteResult.LOST);
        assertThat(MajorityConfig.voteResult(voters, Map.of(1L, true, 9L, true))).isEqualTo(VoteResult.PENDING);
        assertThat(MajorityConfig.voteResult(Set.of(1L, 2L, 3L, 4L), Map.of(1L, true, 2L, true)))
                .isEqualTo(VoteResult.PENDING);
    }
}
