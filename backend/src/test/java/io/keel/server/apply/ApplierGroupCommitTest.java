package io.keel.server.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.DeleteRangeRequest;
import io.keel.api.etcdserverpb.PutRequest;
import io.keel.api.internal.v1.InternalRequest;
import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.server.alarm.AlarmStore;
import io.keel.server.errors.EtcdError;
import io.keel.server.lease.LeaseStore;
import io.keel.server.lease.Lessor;
import io.keel.server.membership.InitialMembers;
import io.keel.server.membership.MemberStore;
import io.keel.server.wait.WaitRegistry;
import io.keel.storage.mvcc.MvccConfig;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.RangeRequest;
import io.keel.storage.observe.StorageObserver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit on apply: the key-value writes handed over together are one LMDB commit, each with
 * its own revision; their proposers and the watchers hear of them once they are visible, before
 * that commit (the Raft log already holds them); a write that must change nothing falls back to
 * one transaction per write, replied after its commit, without losing the others; and a restart
 * replays exactly the entries after the store's consistent index.
 */
class ApplierGroupCommitTest {
    @TempDir
    Path dir;

    private MvccStore store;
    private final AtomicInteger commits = new AtomicInteger();
    private final WaitRegistry<ApplyResult> wait = new WaitRegistry<>(1_000);
    private final List<String> observed = new ArrayList<>();
    private Applier applier;

    private void open() {
        store = MvccStore.open(MvccConfig.defaults(dir.resolve("db"),
                MemberStore.bucketsWith(AlarmStore.BUCKET, LeaseStore.BUCKET)));
        store.setObserver(new StorageObserver() {
            @Override
            public void backendCommit(long nanos) {
                commits.incrementAndGet();
            }
        });
        Lessor lessor = new Lessor(System::nanoTime, 1);
        lessor.reload(store);
        applier = new Applier(store, MemberStore.load(store), AlarmStore.load(store), lessor, wait,
                new InitialMembers(Map.of()), members -> { });
        applier.setCommitListener((rev, changes) -> observed.add(rev + ":" + changes.size()
                + ":published=" + (store.revision() >= rev)));
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private static ByteString bs(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    private static Entry put(long index, String key, long lease) {
        return Entry.normal(2, index, InternalRequest.newBuilder().setId(index)
                .setPut(PutRequest.newBuilder().setKey(bs(key)).setValue(bs("v" + index)).setLease(lease))
                .build().toByteArray());
    }

    private static Entry delete(long index, String key) {
        return Entry.normal(2, index, InternalRequest.newBuilder().setId(index)
                .setDeleteRange(DeleteRangeRequest.newBuilder().setKey(bs(key))).build().toByteArray());
    }

    /**
     * Registers a waiter per entry that records, when triggered, whether the result was visible
     * (a reply must never come before that) and whether its LMDB commit was still to come.
     */
    private List<CompletableFuture<String>> awaitAll(List<Entry> entries) {
        List<CompletableFuture<String>> seen = new ArrayList<>();
        for (Entry e : entries) {
            seen.add(wait.register(e.index()).thenApply(r -> (r.failed() ? r.error().error().name() : "ok")
                    + "@" + r.revision() + (store.revision() >= r.revision() ? "" : " INVISIBLE")
                    + (store.consistentIndex() >= e.index() ? "" : " before-commit")));
        }
        return seen;
    }

    private static List<String> results(List<CompletableFuture<String>> seen) {
        return seen.stream().map(f -> f.getNow("NOT TRIGGERED")).toList();
    }

    @Test
    void writesHandedOverTogetherAreOneCommitAndRepliedOnceVisibleBeforeIt() {
        open();
        List<Entry> entries = new ArrayList<>();
        for (long i = 1; i <= 10; i++) {
            entries.add(i == 5 ? delete(i, "k1") : put(i, "k" + i, 0));
        }
        List<CompletableFuture<String>> seen = awaitAll(entries);
        int before = commits.get();

        // Two hand-overs: the second run joins the LMDB transaction the first left open.
        applier.apply(entries.subList(0, 6), ConfState.ofVoters(1L));
        applier.apply(entries.subList(6, 10), ConfState.ofVoters(1L));

        assertThat(commits.get() - before).as("the commit is deferred").isZero();
        assertThat(applier.pendingCommitDelayNanos()).isLessThanOrEqualTo(Applier.DEFAULT_COMMIT_INTERVAL_NANOS);
        assertThat(store.consistentIndex()).isZero();
        applier.commitPending();
        assertThat(commits.get() - before).isEqualTo(1);
        assertThat(applier.pendingCommitDelayNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(results(seen)).containsExactly("ok@2 before-commit", "ok@3 before-commit", "ok@4 before-commit",
                "ok@5 before-commit", "ok@6 before-commit", "ok@7 before-commit", "ok@8 before-commit",
                "ok@9 before-commit", "ok@10 before-commit", "ok@11 before-commit");
        assertThat(observed).containsExactly("2:1:published=true", "3:1:published=true", "4:1:published=true",
                "5:1:published=true", "6:1:published=true", "7:1:published=true", "8:1:published=true",
                "9:1:published=true", "10:1:published=true", "11:1:published=true");
        assertThat(store.consistentIndex()).isEqualTo(10);
        assertThat(applier.appliedIndex()).isEqualTo(10);
        assertThat(store.range(RangeRequest.builder("k1".getBytes(StandardCharsets.UTF_8)).build()).kvs()).isEmpty();
    }

    @Test
    void theBackendBatchFlagsSetHowLongAndHowManyChangesTheCommitWaitsFor() {
        open();
        applier.batching(Duration.ofHours(1), 3);
        int before = commits.get();

        applier.apply(List.of(put(1, "a", 0), put(2, "b", 0)), ConfState.ofVoters(1L));
        assertThat(commits.get() - before).as("two changes, under the limit").isZero();
        assertThat(applier.pendingCommitDelayNanos()).as("the hour, not the default 100 ms")
                .isGreaterThan(Applier.DEFAULT_COMMIT_INTERVAL_NANOS);

        applier.apply(List.of(put(3, "c", 0)), ConfState.ofVoters(1L));
        assertThat(commits.get() - before).as("the third change reaches the limit").isEqualTo(1);
        assertThat(store.consistentIndex()).isEqualTo(3);
        assertThat(applier.pendingCommitDelayNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void zeroBatchFlagsKeepTheDefaultsAndNegativeOnesAreRefused() {
        open();
        applier.batching(Duration.ZERO, 0);
        applier.apply(List.of(put(1, "a", 0)), ConfState.ofVoters(1L));
        assertThat(applier.pendingCommitDelayNanos()).isLessThanOrEqualTo(Applier.DEFAULT_COMMIT_INTERVAL_NANOS);
        assertThatThrownBy(() -> applier.batching(Duration.ofMillis(-1), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> applier.batching(Duration.ZERO, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGroupCommitIsBoundedInBytesSoLmdbNeverRunsOutOfDirtyPages() {
        open();
        String big = "x".repeat(7 << 20);
        List<Entry> entries = new ArrayList<>();
        for (long i = 1; i <= 3; i++) {
            entries.add(Entry.normal(2, i, InternalRequest.newBuilder().setId(i)
                    .setPut(PutRequest.newBuilder().setKey(bs("big" + i)).setValue(bs(big))).build().toByteArray()));
        }
        List<CompletableFuture<String>> seen = awaitAll(entries);
        int before = commits.get();

        applier.apply(entries, ConfState.ofVoters(1L));

        // 7 + 7 MiB fit under the 16 MiB bound of a run; the third starts a second run, and since
        // the open transaction already holds more than 8 MiB, it is committed before the run joins.
        assertThat(commits.get() - before).isEqualTo(1);
        assertThat(store.consistentIndex()).isEqualTo(2);
        assertThat(results(seen)).containsExactly("ok@2 before-commit", "ok@3 before-commit", "ok@4 before-commit");
        applier.commitPending();
        assertThat(commits.get() - before).isEqualTo(2);
        assertThat(store.consistentIndex()).isEqualTo(3);
    }

    @Test
    void aWriteThatMustChangeNothingFallsBackToOneCommitPerWrite() {
        open();
        List<Entry> entries = List.of(put(1, "a", 0), put(2, "b", 77), put(3, "c", 0), delete(4, "nothing"));
        List<CompletableFuture<String>> seen = awaitAll(entries);

        applier.apply(entries, ConfState.ofVoters(1L));

        // The put naming an unknown lease fails alone; the others keep consecutive revisions.
        assertThat(results(seen)).containsExactly("ok@2", EtcdError.LEASE_NOT_FOUND.name() + "@2", "ok@3", "ok@3");
        assertThat(observed).containsExactly("2:1:published=true", "3:1:published=true", "3:0:published=true");
        assertThat(store.revision()).isEqualTo(3);
        assertThat(store.consistentIndex()).isEqualTo(4);
    }

    @Test
    void durableIndexTrailsTheLastCommitUntilASync() {
        open();
        applier.apply(List.of(put(1, "a", 0), put(2, "b", 0)), ConfState.ofVoters(1L));
        applier.apply(List.of(put(3, "c", 0), Entry.normal(2, 4, new byte[0])), ConfState.ofVoters(1L));
        assertThat(applier.appliedIndex()).isEqualTo(4);
        // Both runs wait in the open transaction: nothing is on disk yet.
        assertThat(applier.durableIndex()).isZero();
        applier.commitPending();
        // LMDB (meta sync deferred) may still lose its last commit: index 3 (and the empty 4 after it).
        assertThat(applier.durableIndex()).isZero();
        applier.apply(List.of(put(5, "d", 0)), ConfState.ofVoters(1L));
        applier.commitPending();
        assertThat(applier.durableIndex()).isEqualTo(3);
        applier.apply(List.of(put(6, "e", 0)), ConfState.ofVoters(1L));
        applier.sync();
        assertThat(applier.durableIndex()).isEqualTo(6);
        applier.apply(List.of(Entry.normal(2, 7, new byte[0])), ConfState.ofVoters(1L));
        assertThat(applier.durableIndex()).isEqualTo(7);
    }

    @Test
    void aRestartReplaysOnlyTheEntriesAfterTheConsistentIndex() {
        open();
        List<Entry> first = List.of(put(1, "a", 0), put(2, "b", 0), put(3, "c", 0));
        applier.apply(first, ConfState.ofVoters(1L));
        store.close();
        store = null;
        observed.clear();

        open();
        assertThat(applier.appliedIndex()).isEqualTo(3);
        List<Entry> redelivered = new ArrayList<>(first);
        redelivered.add(put(4, "d", 0));
        List<CompletableFuture<String>> seen = awaitAll(redelivered);
        applier.apply(redelivered, ConfState.ofVoters(1L));

        assertThat(results(seen)).containsExactly("NOT TRIGGERED", "NOT TRIGGERED", "NOT TRIGGERED", "ok@5 before-commit");
        assertThat(observed).containsExactly("5:1:published=true");
        applier.commitPending();
        assertThat(store.consistentIndex()).isEqualTo(4);
    }

    @Test
    void aCrashAfterTheRepliesButBeforeTheCommitLosesNothingTheLogReplays() throws Exception {
        open();
        applier.apply(List.of(put(1, "a", 0)), ConfState.ofVoters(1L));
        applier.commitPending();
        List<Entry> batch = List.of(put(2, "b", 0), put(3, "c", 0));
        Path crashed = dir.resolve("crashed");
        java.nio.file.Files.createDirectories(crashed);
        // When the first reply goes out, copy the file as it is on disk: what a kill -9 there leaves.
        wait.register(2).thenRun(() -> {
            try {
                java.nio.file.Files.copy(dir.resolve("db"), crashed.resolve("db"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        applier.apply(batch, ConfState.ofVoters(1L));
        assertThat(java.nio.file.Files.exists(crashed.resolve("db"))).isTrue();
        store.close();
        store = null;

        java.nio.file.Files.move(crashed.resolve("db"), dir.resolve("db"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        java.nio.file.Files.deleteIfExists(dir.resolve("db-lock"));
        open();
        // The store came back at the last commit; the log delivers the batch again and it is applied.
        assertThat(applier.appliedIndex()).isEqualTo(1);
        List<CompletableFuture<String>> seen = awaitAll(batch);
        applier.apply(batch, ConfState.ofVoters(1L));
        assertThat(results(seen)).containsExactly("ok@3 before-commit", "ok@4 before-commit");
        assertThat(store.range(RangeRequest.builder("a".getBytes(StandardCharsets.UTF_8))
                .rangeEnd("z".getBytes(StandardCharsets.UTF_8)).build()).kvs()).hasSize(3);
        applier.commitPending();
        assertThat(store.consistentIndex()).isEqualTo(3);
    }
}
