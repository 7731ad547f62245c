package io.keel.server.lease;

import io.keel.storage.mvcc.Event;
import io.keel.storage.mvcc.KeyValue;
import io.keel.storage.mvcc.Revision;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LessorTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final Lessor lessor = new Lessor(now::get, 2);

    private static Event put(String key, long lease) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return new Event(Event.Type.PUT, new KeyValue(k, 1, 1, 1, new byte[0], lease), new Revision(1, 0));
    }

    private static Event delete(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return new Event(Event.Type.DELETE, new KeyValue(k, 0, 2, 0, null, 0), new Revision(2, 0));
    }

    private List<String> keys(long id) {
        return lessor.keysOf(id).stream().map(k -> new String(k, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void minimumTtlIsOneAndAHalfElectionTimeoutsRoundedUpAsEtcds() {
        assertThat(Lessor.minTtlSeconds(10, 100)).isEqualTo(2); // etcd defaults: 1.5 s -> 2 s
        assertThat(Lessor.minTtlSeconds(10, 50)).isEqualTo(1);
        assertThat(Lessor.minTtlSeconds(50, 100)).isEqualTo(8);
        assertThat(lessor.effectiveTtl(1)).isEqualTo(2);
        assertThat(lessor.effectiveTtl(60)).isEqualTo(60);
    }

    @Test
    void putsAttachKeysAndOverwritesOrDeletesDetachThem() {
        lessor.granted(1, 60, 0);
        lessor.granted(2, 60, 0);
        lessor.keysChanged(List.of(put("a", 1), put("b", 1), put("c", 2)));
        assertThat(keys(1)).containsExactly("a", "b");

        lessor.keysChanged(List.of(put("a", 2), put("b", 0), delete("c")));

        assertThat(keys(1)).isEmpty();
        assertThat(keys(2)).containsExactly("a");
    }

    @Test
    void aPutNamingAnUnknownLeaseIsFound() {
        lessor.granted(1, 60, 0);
        assertThat(lessor.missingLease(List.of(put("a", 1), delete("b")))).isZero();
        assertThat(lessor.missingLease(List.of(put("a", 1), put("b", 7)))).isEqualTo(7);
    }

    @Test
    void followersNeverExpireLeasesAndCannotRenew() {
        lessor.granted(1, 5, 0);
        now.addAndGet(3_600 * SECOND);
        assertThat(lessor.expired(10)).isEmpty();
        assertThatThrownBy(() -> lessor.renew(1)).isInstanceOf(NotPrimaryException.class);
    }

    @Test
    void onThePrimaryALeaseExpiresAfterItsTtlAndARenewalRestartsIt() {
        lessor.promote(0);
        lessor.granted(1, 10, 0);
        now.addAndGet(9 * SECOND);
        assertThat(lessor.expired(10)).isEmpty();
        assertThat(lessor.renew(1).ttlSeconds()).isEqualTo(10);
        now.addAndGet(9 * SECOND);
        assertThat(lessor.expired(10)).isEmpty();
        now.addAndGet(SECOND);
        assertThat(lessor.expired(10)).containsExactly(1L);
        assertThat(lessor.renew(1).ttlSeconds()).as("an expired lease is not renewed").isEqualTo(-1);
    }

    @Test
    void promotionStartsFromTheCheckpointedRemainderPlusTheExtension() {
        lessor.granted(1, 3_600, 0);
        lessor.checkpointed(1, 600);
        lessor.promote(2 * SECOND);

        assertThat(lessor.timeToLive(1, false).ttlSeconds()).isEqualTo(602);
        now.addAndGet(601 * SECOND);
        assertThat(lessor.expired(10)).isEmpty();
        now.addAndGet(SECOND);
        assertThat(lessor.expired(10)).containsExactly(1L);
    }

    @Test
    void aRenewalClearsTheCheckpointSoTheFullTtlAppliesAgain() {
        lessor.granted(1, 100, 40);
        lessor.promote(0);
        Lessor.Renewal r = lessor.renew(1);
        assertThat(r.ttlSeconds()).isEqualTo(100);
        assertThat(r.clearCheckpoint()).isTrue();
        assertThat(lessor.renew(1).clearCheckpoint()).isFalse();
    }

    @Test
    void checkpointsCarryTheRemainingTtlOfLeasesThatRanDown() {
        lessor.promote(0);
        lessor.granted(1, 100, 0);
        lessor.granted(2, 100, 0);
        now.addAndGet(30 * SECOND);
        lessor.renew(2);

        List<long[]> due = lessor.checkpoints(1, 10);

        assertThat(due).hasSize(1);
        assertThat(due.get(0)).containsExactly(1, 70);
    }

    @Test
    void demotionStopsExpiryAndRevokeForgetsTheKeys() {
        lessor.promote(0);
        lessor.granted(1, 5, 0);
        lessor.keysChanged(List.of(put("a", 1)));
        lessor.demote();
        now.addAndGet(60 * SECOND);
        assertThat(lessor.expired(10)).isEmpty();

        lessor.revoked(1);

        assertThat(lessor.exists(1)).isFalse();
        assertThat(lessor.timeToLive(1, true)).isNull();
        lessor.granted(2, 5, 0);
        lessor.keysChanged(List.of(delete("a")));
        assertThat(keys(2)).isEmpty();
    }
}
