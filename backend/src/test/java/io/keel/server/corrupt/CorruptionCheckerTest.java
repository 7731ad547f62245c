package io.keel.server.corrupt;

import io.keel.api.etcdserverpb.HashKVResponse;
import io.keel.api.etcdserverpb.ResponseHeader;
import io.keel.storage.mvcc.HashKvResult;
import io.keel.storage.mvcc.MvccConfig;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.PutRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** etcd 3.5's corruption rules, with a real store and scripted peer answers. */
class CorruptionCheckerTest {
    private static final long SELF = 0x1111;
    private static final long PEER = 0x2222;

    @TempDir
    Path dir;
    private MvccStore store;
    private final List<Long> alarms = new ArrayList<>();
    private List<PeerHash> answers = List.of();
    private boolean leader = true;

    @BeforeEach
    void open() {
        store = MvccStore.open(MvccConfig.defaults(dir.resolve("db"), List.of()).withQuota(64L << 20));
        store.put(new PutRequest(bytes("k"), bytes("v"), 0, false, false, false), 1, 1);
        store.put(new PutRequest(bytes("k2"), bytes("v2"), 0, false, false, false), 2, 1);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private CorruptionChecker checker() {
        return new CorruptionChecker(SELF, store, rev -> CompletableFuture.completedFuture(answers), () -> leader,
                alarms::add, 1_000);
    }

    private PeerHash peer(int hash, long revision, long compactRevision) {
        return PeerHash.of(PEER, HashKVResponse.newBuilder().setHash(hash).setCompactRevision(compactRevision)
                .setHeader(ResponseHeader.newBuilder().setRevision(revision)).build());
    }

    @Test
    void initialCheckPassesWhenPeersAgreeOrCannotAnswer() throws Exception {
        HashKvResult local = store.hashKv(0);
        answers = List.of(peer(local.hash(), local.currentRevision(), local.compactRevision()),
                PeerHash.failed(0x3333, new IllegalStateException("unreachable")));
        checker().initialCheck();
    }

    @Test
    void initialCheckFailsOnAnotherHashWithTheSameCompactRevision() {
        HashKvResult local = store.hashKv(0);
        answers = List.of(peer(local.hash() + 1, local.currentRevision(), local.compactRevision()));
        assertThatThrownBy(() -> checker().initialCheck()).isInstanceOf(DataInconsistencyException.class)
                .hasMessage("1111 found data inconsistency with peers");
    }

    @Test
    void initialCheckToleratesAnotherHashAfterAnotherCompaction() throws Exception {
        HashKvResult local = store.hashKv(0);
        answers = List.of(peer(local.hash() + 1, local.currentRevision(), local.compactRevision() + 1));
        checker().initialCheck();
    }

    @Test
    void periodicCheckRaisesCorruptForMemberZeroOnAHashMismatch() {
        HashKvResult local = store.hashKv(0);
        answers = List.of(peer(local.hash() + 1, local.currentRevision(), local.compactRevision()));
        assertThat(checker().periodicCheck()).isTrue();
        assertThat(alarms).containsExactly(0L);
    }

    @Test
    void periodicCheckRaisesCorruptWhenAFollowerIsAhead() {
        HashKvResult local = store.hashKv(0);
        answers = List.of(peer(local.hash(), local.currentRevision() + 1, local.compactRevision()));
        assertThat(checker().periodicCheck()).isTrue();
        answers = List.of(peer(local.hash(), local.currentRevision(), local.compactRevision() + 5));
        assertThat(checker().periodicCheck()).isTrue();
        assertThat(alarms).containsExactly(0L, 0L);
    }

    @Test
    void periodicCheckIsQuietWhenAllAgreeAndDoesNothingOnAFollower() {
        HashKvResult local = store.hashKv(0);
        answers = List.of(peer(local.hash(), local.currentRevision(), local.compactRevision()));
        assertThat(checker().periodicCheck()).isFalse();
        leader = false;
        answers = List.of(peer(local.hash() + 1, local.currentRevision(), local.compactRevision()));
        assertThat(checker().periodicCheck()).isFalse();
        assertThat(alarms).isEmpty();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void periodicCheckAgreesWithAFollowerThatAppliedWhatTheLeaderHasPublishedButNotCommitted() throws Exception {
        // The follower holds the same data at the same revision; the leader has published that
        // revision (its clients have their replies) while its LMDB commit is still in flight.
        MvccStore follower = MvccStore.open(MvccConfig.defaults(dir.resolve("follower"), List.of()).withQuota(64L << 20));
        try {
            follower.put(new PutRequest(bytes("k"), bytes("v"), 0, false, false, false), 1, 1);
            follower.put(new PutRequest(bytes("k2"), bytes("v2"), 0, false, false, false), 2, 1);
            follower.put(new PutRequest(bytes("k3"), bytes("v3"), 0, false, false, false), 3, 1);
            HashKvResult theirs = follower.hashKv(0);
            answers = List.of(peer(theirs.hash(), theirs.currentRevision(), theirs.compactRevision()));

            io.keel.storage.mvcc.MvccWriteTxn w = store.beginWrite();
            w.put(new PutRequest(bytes("k3"), bytes("v3"), 0, false, false, false));
            w.setConsistentIndex(3, 1);
            assertThat(w.publish()).isEqualTo(theirs.currentRevision());
            CompletableFuture<Boolean> check = CompletableFuture.supplyAsync(() -> checker().periodicCheck());
            w.commit();

            assertThat(check.get()).as("a false corruption alarm").isFalse();
            assertThat(alarms).isEmpty();
        } finally {
            follower.close();
        }
    }
}
