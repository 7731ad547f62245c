package io.keel.raft.tracker;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InflightsTest {

    @Test
    void theWindowIsBoundedAndFreesAcknowledgedMessagesAcrossTheRingBoundary() {
        Inflights in = new Inflights(3);
        in.add(1);
        in.add(2);
        in.add(3);
        assertThat(in.full()).isTrue();
        assertThatThrownBy(() -> in.add(4)).isInstanceOf(IllegalStateException.class);
        in.freeLE(2);
        assertThat(in.count()).isEqualTo(1);
        in.add(4);
        in.add(5); // wraps around the ring
        assertThat(in.full()).isTrue();
        in.freeFirstOne();
        assertThat(in.count()).isEqualTo(2);
        in.freeLE(5);
        assertThat(in.count()).isZero();
    }
}
