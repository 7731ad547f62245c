package io.keel.server.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.DeleteRangeRequest;
import io.keel.api.v3lockpb.LockRequest;
import io.keel.api.v3lockpb.LockResponse;
import io.keel.api.v3lockpb.UnlockRequest;
import io.keel.server.errors.EtcdException;
import java.nio.file.Path;
import io.keel.api.etcdserverpb.LeaseGrantResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockServerTest {
    @TempDir
    Path dir;
    private LockElectionFixture f;
    private LockServer locks;
    private final List<Long> grantedTtls = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        f = new LockElectionFixture(dir);
        locks = new LockServer(f.kv.backend, f.waiter, new SessionLease(r -> {
            grantedTtls.add(r.getTTL());
            return CompletableFuture.completedFuture(LeaseGrantResponse.newBuilder().setID(0x60).setTTL(r.getTTL()).build());
        }));
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    private CompletableFuture<LockResponse> lock(String name, long lease) {
        return locks.lock(LockRequest.newBuilder().setName(ByteString.copyFromUtf8(name)).setLease(lease).build())
                .toCompletableFuture();
    }

    private static LockResponse get(CompletableFuture<LockResponse> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void waitersGetTheLockOneAtATimeInTheOrderTheyAsked() throws Exception {
        LockResponse first = get(lock("L", 0x1a));
        assertThat(first.getKey().toStringUtf8()).isEqualTo("L/1a");
        CompletableFuture<LockResponse> second = lock("L", 0x2b);
        await(() -> f.store.range(io.keel.storage.mvcc.RangeRequest.builder("L/2b".getBytes()).build()).count() == 1);
        CompletableFuture<LockResponse> third = lock("L", 0x3c);
        await(() -> f.store.range(io.keel.storage.mvcc.RangeRequest.builder("L/3c".getBytes()).build()).count() == 1);
        assertThat(second).isNotDone();
        assertThat(third).isNotDone();

        locks.unlock(UnlockRequest.newBuilder().setKey(first.getKey()).build()).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertThat(get(second).getKey().toStringUtf8()).isEqualTo("L/2b");
        assertThat(third).isNotDone();
        // The holder's lease dies: its key is deleted (as a lease revoke does), the next waiter holds the lock.
        f.kv.backend.deleteRange(DeleteRangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("L/2b")).build())
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(get(third).getKey().toStringUtf8()).isEqualTo("L/3c");
        assertThat(get(third).getHeader().getRevision()).isPositive();
    }

    @Test
    void locksOfOtherNamesDoNotWaitForEachOther() throws Exception {
        get(lock("A", 1));
        assertThat(get(lock("B", 1)).getKey().toStringUtf8()).isEqualTo("B/1");
    }

    @Test
    void lockingAgainWithTheSameLeaseReturnsTheHeldKey() throws Exception {
        LockResponse a = get(lock("R", 5));
        LockResponse b = get(lock("R", 5));
        assertThat(b.getKey()).isEqualTo(a.getKey());
    }

    @Test
    void aLockWithoutALeaseHoldsItsKeyWithAFreshSixtySecondLease() throws Exception {
        assertThat(get(lock("N", 0)).getKey().toStringUtf8()).isEqualTo("N/60");
        assertThat(grantedTtls).containsExactly(60L);
        assertThat(f.store.range(io.keel.storage.mvcc.RangeRequest.builder("N/60".getBytes()).build()).kvs().get(0)
                .lease()).isEqualTo(0x60);
    }

    @Test
    void withoutALeaseServiceALockWithoutALeaseIsRefused() {
        LockServer noLeases = new LockServer(f.kv.backend, f.waiter, SessionLease.unavailable());
        assertThatThrownBy(() -> noLeases.lock(LockRequest.newBuilder().setName(ByteString.copyFromUtf8("N")).build())
                .toCompletableFuture().get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(EtcdException.class)
                .hasMessageContaining("etcdserver: requested lease not found");
    }

    static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(5);
        }
    }
}
