package io.keel.server.raftnode;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.raft.MemoryStorage;
import io.keel.raft.RaftConfig;
import io.keel.raft.RawNode;
import io.keel.raft.ReadState;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The batcher reports out-of-date answers as slow and failed batches as failed, as etcd counts them. */
class ReadIndexBatcherTest {
    private final AtomicInteger slow = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final ReadIndexBatcher batcher = new ReadIndexBatcher(MEMBER, 5);
    private static final long MEMBER = 7;

    ReadIndexBatcherTest() {
        batcher.listener = new ReadIndexListener() {
            @Override
            public void slow() {
                slow.incrementAndGet();
            }

            @Override
            public void failed() {
                failed.incrementAndGet();
            }
        };
    }

    private static ReadState answer(long requestId, long index) {
        return new ReadState(index, ReadIndexBatcher.context(MEMBER, requestId));
    }

    @Test
    void contextsCarryTheMemberIdSoTwoMembersNeverAskWithTheSameContext() {
        assertThat(ReadIndexBatcher.context(1, 1)).isNotEqualTo(ReadIndexBatcher.context(2, 1));
        assertThat(ReadIndexBatcher.context(1, 1)).isNotEqualTo(ReadIndexBatcher.context(1, 2));
    }

    @Test
    void anAnswerToAnotherMembersRequestWithTheSameSequenceIsNotTaken() {
        CompletableFuture<Long> read = new CompletableFuture<>();
        batcher.add(read);
        // A follower that knows no leader drops the request: only the batcher's bookkeeping matters here.
        batcher.maybeIssue(new RawNode(RaftConfig.defaults(MEMBER), new MemoryStorage(), new SplittableRandom(1)));
        batcher.onReadStates(List.of(new ReadState(9, ReadIndexBatcher.context(MEMBER + 1, 1))));
        assertThat(read).isNotDone();
        batcher.onReadStates(List.of(new ReadState(9, ReadIndexBatcher.context(MEMBER, 1))));
        assertThat(read).isCompletedWithValue(9L);
    }

    @Test
    void anAnswerToAnEarlierRequestIsIgnoredAndCountedSlow() {
        batcher.onReadStates(List.of(answer(41, 7), answer(42, 8)));
        assertThat(slow.get()).isEqualTo(2);
        assertThat(failed.get()).isZero();
    }

    @Test
    void failingWaitingReadsCountsOneFailedBatchAndNothingWhenNoneWait() {
        batcher.failAll(new IllegalStateException("stopped"));
        assertThat(failed.get()).isZero();

        CompletableFuture<Long> a = new CompletableFuture<>();
        CompletableFuture<Long> b = new CompletableFuture<>();
        batcher.add(a);
        batcher.add(b);
        batcher.failAll(new IllegalStateException("stopped"));

        assertThat(a).isCompletedExceptionally();
        assertThat(b).isCompletedExceptionally();
        assertThat(failed.get()).isEqualTo(1);
    }
}
