package io.keel.tracing.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EtcdTimestampTest {

    @Test
    void formatsUtcWithMillisecondsLikeEtcdTs() {
        long millis = Instant.parse("2026-11-21T14:34:25.615Z").toEpochMilli();
        assertThat(EtcdTimestamp.format(millis)).isEqualTo("2026-11-21T14:34:25.615Z");
    }

    @Test
    void padsMillisecondsAndRecomputesWhenTheSecondChanges() {
        long millis = Instant.parse("2026-01-02T03:04:05.007Z").toEpochMilli();
        assertThat(EtcdTimestamp.format(millis)).isEqualTo("2026-01-02T03:04:05.007Z");
        assertThat(EtcdTimestamp.format(millis + 1000)).isEqualTo("2026-01-02T03:04:06.007Z");
        assertThat(EtcdTimestamp.format(millis + 993)).isEqualTo("2026-01-02T03:04:06.000Z");
        assertThat(EtcdTimestamp.format(0)).isEqualTo("1970-01-01T00:00:00.000Z");
    }
}
