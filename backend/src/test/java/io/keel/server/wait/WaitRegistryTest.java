package io.keel.server.wait;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WaitRegistryTest {

    @Test
    void triggerCompletesOnlyTheMatchingRegistration() {
        WaitRegistry<String> wait = new WaitRegistry<>(10);
        CompletableFuture<String> a = wait.register(1);
        CompletableFuture<String> b = wait.register(2);

        wait.trigger(2, "two");
        wait.trigger(3, "nobody waits for three");

        assertThat(a).isNotDone();
        assertThat(b).isCompletedWithValue("two");
        assertThat(wait.pendingCount()).isEqualTo(1);
    }

    @Test
    void failExpiredTimesOutOnlyRegistrationsPastTheirDeadline() {
        WaitRegistry<String> wait = new WaitRegistry<>(10);
        CompletableFuture<String> early = wait.register(1, 1_000);
        CompletableFuture<String> late = wait.register(2, 5_000);
        CompletableFuture<String> never = wait.register(3);

        wait.failExpired(999);
        assertThat(early).isNotDone();
        wait.failExpired(1_000);

        assertThat(early).isCompletedExceptionally();
        assertThatThrownBy(early::join).hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
        assertThat(late).isNotDone();
        assertThat(never).isNotDone();
        assertThat(wait.pendingCount()).isEqualTo(2);
        wait.trigger(1, "too late: nobody waits any more");
        wait.failExpired(Long.MAX_VALUE - 1);
        assertThat(late).isCompletedExceptionally();
        assertThat(never).isNotDone();
    }

    @Test
    void registeringOverTheBoundIsRefusedInsteadOfGrowing() {
        WaitRegistry<String> wait = new WaitRegistry<>(2);
        wait.register(1);
        wait.register(2);

        assertThat(wait.register(3)).isNull();
        assertThat(wait.pendingCount()).isEqualTo(2);
    }

    @Test
    void failAllFailsEveryPendingRegistration() {
        WaitRegistry<String> wait = new WaitRegistry<>(10);
        CompletableFuture<String> a = wait.register(1);
        IllegalStateException cause = new IllegalStateException("stopping");

        wait.failAll(cause);

        assertThat(a).isCompletedExceptionally();
        assertThat(wait.pendingCount()).isZero();
    }

    @Test
    void aDuplicateIdIsAProgrammingError() {
        WaitRegistry<String> wait = new WaitRegistry<>(10);
        wait.register(7);

        assertThatThrownBy(() -> wait.register(7)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void idsCarryTheMemberPrefixAndNeverRepeat() {
        RequestIdGenerator gen = new RequestIdGenerator(0xABCD1234L, 1_700_000_000_000L);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            long id = gen.next();
            assertThat(id >>> 48).isEqualTo(0x1234L);
            assertThat(seen.add(id)).isTrue();
        }
    }

    @Test
    void twoMembersStartingInTheSameMillisecondHandOutDisjointIds() {
        RequestIdGenerator one = new RequestIdGenerator(1, 1_700_000_000_000L);
        RequestIdGenerator two = new RequestIdGenerator(2, 1_700_000_000_000L);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            assertThat(seen.add(one.next())).isTrue();
            assertThat(seen.add(two.next())).isTrue();
        }
    }
}
