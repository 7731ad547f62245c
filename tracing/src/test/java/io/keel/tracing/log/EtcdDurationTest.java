package io.keel.tracing.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EtcdDurationTest {

    @ParameterizedTest(name = "{0}ns is {1}")
    @CsvSource({
            "0, 0s",
            "812, 812ns",
            "1000, 1µs",
            "757223, 757.223µs",
            "4769, 4.769µs",
            "42820, 42.82µs",
            "1000000, 1ms",
            "103632957, 103.632957ms",
            "100000000, 100ms",
            "1000000000, 1s",
            "1500000000, 1.5s",
            "7000000000, 7s",
            "60000000000, 1m0s",
            "123456789012, 2m3.456789012s",
            "3600000000000, 1h0m0s",
            "-1500, -1.5µs",
    })
    void formatsDurationsAsGoDoes(long nanos, String expected) {
        assertThat(EtcdDuration.format(nanos)).isEqualTo(expected);
    }
}
