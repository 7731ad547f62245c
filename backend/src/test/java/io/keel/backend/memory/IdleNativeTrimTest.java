package io.keel.backend.memory;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdleNativeTrimTest {
    private final AtomicLong activity = new AtomicLong();
    private final AtomicInteger trimCalls = new AtomicInteger();

    private IdleNativeTrim trimmer(int quietTicks) {
        return new IdleNativeTrim(activity::get, quietTicks, trimCalls::incrementAndGet);
    }

    @Test
    void trimsOnceAfterTheQuietTicksThatFollowAStart() {
        IdleNativeTrim t = trimmer(3);
        assertThat(t.tick()).isFalse();
        assertThat(t.tick()).isFalse();
        assertThat(t.tick()).isTrue();
        for (int i = 0; i < 10; i++) {
            assertThat(t.tick()).as("still idle: nothing new to give back").isFalse();
        }
        assertThat(trimCalls).hasValue(1);
        assertThat(t.trims()).isEqualTo(1);
    }

    @Test
    void neverTrimsWhileTheMemberWorks() {
        IdleNativeTrim t = trimmer(2);
        for (int i = 0; i < 50; i++) {
            activity.incrementAndGet();
            assertThat(t.tick()).isFalse();
        }
        assertThat(trimCalls).hasValue(0);
    }

    @Test
    void workInsideTheQuietPeriodStartsItAgain() {
        IdleNativeTrim t = trimmer(3);
        t.tick();
        t.tick();
        activity.addAndGet(5); // one request just before the trim was due
        assertThat(t.tick()).isFalse();
        assertThat(t.tick()).isFalse();
        assertThat(t.tick()).isFalse();
        assertThat(t.tick()).isTrue();
        assertThat(trimCalls).hasValue(1);
    }

    @Test
    void trimsAgainAfterTheNextSpellOfWork() {
        IdleNativeTrim t = trimmer(1);
        assertThat(t.tick()).isTrue();
        assertThat(t.tick()).isFalse();
        activity.incrementAndGet();
        assertThat(t.tick()).isFalse();
        assertThat(t.tick()).isTrue();
        assertThat(trimCalls).hasValue(2);
    }

    @Test
    void aTrimThatCannotBeCalledIsNotTriedAgain() {
        AtomicInteger calls = new AtomicInteger();
        IdleNativeTrim t = new IdleNativeTrim(activity::get, 1, () -> {
            calls.incrementAndGet();
            throw new UnsatisfiedLinkError("malloc_trim");
        });
        assertThat(t.tick()).isFalse();
        activity.incrementAndGet();
        t.tick();
        t.tick();
        assertThat(calls).hasValue(1);
        assertThat(t.trims()).isZero();
    }

    @Test
    void theQuietPeriodIsAtLeastOneTick() {
        assertThatThrownBy(() -> trimmer(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
