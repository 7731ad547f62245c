package io.keel.backend.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lock.LockResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two jetcd clients contend for one lock on a real 3-member Keel (etcd's v3lock service, which
 * jetcd's Lock client calls): while the holder keeps its lease alive the waiter waits, past the
 * lease's TTL; once the holder is gone (its client closed, so nobody renews its lease) the waiter
 * gets the lock only after the holder's lease has expired and taken the holder's key with it.
 */
class LockContentionJetcdTest {
    private static final long TIMEOUT_SECONDS = 60;
    private static final long HOLDER_TTL = 4;

    @TempDir
    Path dir;
    private TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = TestCluster.start(dir, "lk", 3);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static StreamObserver<LeaseKeepAliveResponse> counting(AtomicInteger renewals) {
        return new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse r) {
                if (r.getTTL() > 0) {
                    renewals.incrementAndGet();
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    private static long ttl(Client c, long lease) throws Exception {
        return c.getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getTTL();
    }

    @Test
    void theWaiterGetsTheLockOnlyAfterTheDeadHoldersLeaseExpired() throws Exception {
        ByteSequence name = bytes("jobs/lock");
        Client holder = Client.builder().endpoints(cluster.endpointList()).build();
        try (Client waiter = Client.builder().endpoints(cluster.endpointList()).build();
             Client observer = Client.builder().endpoints(cluster.endpointList()).build()) {
            long holderLease = holder.getLeaseClient().grant(HOLDER_TTL).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getID();
            AtomicInteger holderRenewals = new AtomicInteger();
            holder.getLeaseClient().keepAlive(holderLease, counting(holderRenewals));
            LockResponse held = holder.getLockClient().lock(name, holderLease).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

            long waiterLease = waiter.getLeaseClient().grant(60).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getID();
            waiter.getLeaseClient().keepAlive(waiterLease, counting(new AtomicInteger()));
            CompletableFuture<LockResponse> waiting = waiter.getLockClient().lock(name, waiterLease);
            awaitTrue(() -> observer.getKVClient().get(name, GetOption.builder().isPrefix(true).build())
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getCount() == 2, "the waiter's key is queued");

            // Held beyond several TTLs by keep-alives: the waiter keeps waiting (mutual exclusion).
            int start = holderRenewals.get();
            awaitTrue(() -> {
                assertThat(waiting).as("the waiter while the holder's lease is kept alive").isNotDone();
                return holderRenewals.get() >= start + 6;
            }, "the holder's lease is renewed");
            assertThat(ttl(observer, holderLease)).isPositive();
            assertThat(waiting).isNotDone();

            holder.close(); // the holder dies: nobody renews its lease any more

            LockResponse acquired = waiting.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(ttl(observer, holderLease)).as("the holder's lease when the waiter got the lock").isEqualTo(-1);
            assertThat(observer.getKVClient().get(held.getKey()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getCount())
                    .as("the holder's key").isZero();
            var queue = observer.getKVClient().get(name, GetOption.builder().isPrefix(true).build())
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(queue.getKvs()).hasSize(1);
            assertThat(queue.getKvs().get(0).getKey()).isEqualTo(acquired.getKey());
            assertThat(queue.getKvs().get(0).getLease()).isEqualTo(waiterLease);

            waiter.getLockClient().unlock(acquired.getKey()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(observer.getKVClient().get(name, GetOption.builder().isPrefix(true).build())
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getCount()).isZero();
        } finally {
            holder.close();
        }
    }

    @Test
    void aLockWithoutALeaseIsHeldWithAFreshSixtySecondLeaseAsEtcdsLockServiceDoes() throws Exception {
        try (Client c = Client.builder().endpoints(cluster.endpointList()).build()) {
            LockResponse held = c.getLockClient().lock(bytes("jobs/no-lease"), 0).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String key = held.getKey().toString(StandardCharsets.UTF_8);
            assertThat(key).startsWith("jobs/no-lease/");
            long lease = Long.parseUnsignedLong(key.substring("jobs/no-lease/".length()), 16);
            var kv = c.getKVClient().get(held.getKey()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getKvs().get(0);
            assertThat(kv.getLease()).isEqualTo(lease);
            var ttl = c.getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(ttl.getGrantedTTL()).isEqualTo(60);
            assertThat(ttl.getTTL()).isBetween(1L, 60L);
            c.getLockClient().unlock(held.getKey()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Condition c, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS * 2);
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(50);
        }
    }
}
