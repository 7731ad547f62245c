package io.keel.server.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The lessor reports grants, revokes, renewals and expiries where etcd's lessor counts them. */
class LessorMetricsTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final Lessor lessor = new Lessor(now::get, 2);
    private final Counting seen = new Counting();

    /** Records what it is told. Test thread only (the lessor calls it under its monitor). */
    private static final class Counting implements LeaseObserver {
        final List<Long> grantedTtls = new ArrayList<>();
        int revoked;
        int renewed;
        int expired;

        @Override
        public void granted(long ttlSeconds) {
            grantedTtls.add(ttlSeconds);
        }

        @Override
        public void revoked() {
            revoked++;
        }

        @Override
        public void renewed() {
            renewed++;
        }

        @Override
        public void expired() {
            expired++;
        }
    }

    LessorMetricsTest() {
        lessor.setObserver(seen);
    }

    @Test
    void grantsAreCountedWithTheirTtlOnEveryMemberAndRevokesOnlyOfExistingLeases() {
        lessor.granted(1, 60, 0);
        lessor.granted(2, 5, 0);
        assertThat(seen.grantedTtls).containsExactly(60L, 5L);

        lessor.revoked(1);
        lessor.revoked(1); // already gone: etcd answers "lease not found" and counts nothing
        lessor.revoked(99);
        assertThat(seen.revoked).isEqualTo(1);
        assertThat(seen.expired).isZero();
    }

    @Test
    void onlyTheLeadersSuccessfulRenewalsCount() {
        lessor.granted(1, 10, 0);
        lessor.promote(0);
        assertThat(lessor.renew(1).ttlSeconds()).isEqualTo(10);
        assertThat(lessor.renew(7).ttlSeconds()).isEqualTo(-1);
        now.addAndGet(11 * SECOND);
        assertThat(lessor.renew(1).ttlSeconds()).isEqualTo(-1); // expired: not renewed
        assertThat(seen.renewed).isEqualTo(1);
    }

    @Test
    void aRevokeOfALeaseThePrimaryFoundExpiredCountsAsAnExpiry() {
        lessor.granted(1, 10, 0);
        lessor.granted(2, 100, 0);
        lessor.granted(3, 10, 0);
        lessor.promote(0);
        now.addAndGet(11 * SECOND);

        assertThat(lessor.expired(10)).containsExactlyInAnyOrder(1L, 3L);
        assertThat(lessor.expired(10)).containsExactlyInAnyOrder(1L, 3L); // asked again next tick
        lessor.revoked(1);
        lessor.revoked(2); // a client's revoke of a live lease is no expiry
        assertThat(seen.expired).isEqualTo(1);
        assertThat(seen.revoked).isEqualTo(2);

        lessor.demote(); // a new leader decides about lease 3 now
        lessor.revoked(3);
        assertThat(seen.expired).isEqualTo(1);
        assertThat(seen.revoked).isEqualTo(3);
    }

    @Test
    void withoutAnObserverNothingBreaks() {
        Lessor plain = new Lessor(now::get, 2);
        plain.granted(1, 10, 0);
        plain.promote(0);
        plain.renew(1);
        plain.revoked(1);
        assertThat(plain.exists(1)).isFalse();
    }
}
