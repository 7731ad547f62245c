package io.keel.raft.log;

import io.keel.raft.Entry;
import io.keel.raft.MemoryStorage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RaftLogTest {

    private static Entry e(long term, long index) {
        return Entry.normal(term, index, null);
    }

    private static RaftLog logWith(Entry... entries) {
        RaftLog log = new RaftLog(new MemoryStorage(), Long.MAX_VALUE);
        log.append(List.of(entries));
        return log;
    }

    @Test
    void findConflictReturnsTheFirstIndexWhoseTermDiffersOrThatIsNew() {
        RaftLog log = logWith(e(1, 1), e(2, 2), e(3, 3));
        assertThat(log.findConflict(List.of(e(1, 1), e(2, 2)))).isZero();
        assertThat(log.findConflict(List.of(e(2, 2), e(3, 3), e(4, 4)))).isEqualTo(4);
        assertThat(log.findConflict(List.of(e(2, 2), e(4, 3)))).isEqualTo(3);
    }

    @Test
    void maybeAppendChecksThePreviousEntryTruncatesConflictsAndCommits() {
        RaftLog log = logWith(e(1, 1), e(2, 2), e(2, 3));
        assertThat(log.maybeAppend(3, 3, 3, List.of(e(3, 4)))).isEqualTo(-1);
        assertThat(log.maybeAppend(1, 1, 2, List.of(e(3, 2)))).isEqualTo(2);
        assertThat(log.lastIndex()).isEqualTo(2);
        assertThat(log.term(2)).isEqualTo(3);
        assertThat(log.committed()).isEqualTo(2);
        assertThatThrownBy(() -> log.maybeAppend(0, 0, 2, List.of(e(4, 1))))
                .isInstanceOf(IllegalStateException.class); // would overwrite a committed entry
    }

    @Test
    void findConflictByTermSkipsEntriesOfNewerTerms() {
        RaftLog log = logWith(e(1, 1), e(1, 2), e(4, 3), e(4, 4), e(5, 5));
        assertThat(log.findConflictByTerm(5, 3)).containsExactly(2, 1);
        assertThat(log.findConflictByTerm(5, 4)).containsExactly(4, 4);
        assertThat(log.findConflictByTerm(5, 0)).containsExactly(0, 0);
    }

    @Test
    void stableToForgetsPersistedEntriesOnlyIfTheirTermStillMatches() {
        MemoryStorage storage = new MemoryStorage();
        RaftLog log = new RaftLog(storage, Long.MAX_VALUE);
        log.append(List.of(e(1, 1), e(1, 2)));
        log.append(List.of(e(2, 2))); // replaced after a Ready handed out (1,2)
        log.stableTo(2, 1);
        assertThat(log.unstableEntries()).hasSize(2);
        storage.append(log.unstableEntries());
        log.stableTo(2, 2);
        assertThat(log.unstableEntries()).isEmpty();
        assertThat(log.term(2)).isEqualTo(2);
    }

    @Test
    void theLeaderCommitsOnlyAnEntryOfItsTerm() {
        RaftLog log = logWith(e(1, 1), e(2, 2));
        assertThat(log.maybeCommit(2, 3)).isFalse();
        assertThat(log.maybeCommit(2, 2)).isTrue();
        assertThat(log.committed()).isEqualTo(2);
    }

    @Test
    void nextEntriesAreTheCommittedButUnappliedOnes() {
        RaftLog log = logWith(e(1, 1), e(1, 2), e(1, 3));
        log.commitTo(2);
        assertThat(log.nextEntries()).containsExactly(e(1, 1), e(1, 2));
        log.appliedTo(2);
        assertThat(log.hasNextEntries()).isFalse();
        assertThatThrownBy(() -> log.appliedTo(3)).isInstanceOf(IllegalStateException.class);
    }
}
