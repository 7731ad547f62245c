package io.keel.tracing.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TracingConfigTest {

    @Test
    void defaultsAreEtcds() {
        TracingConfig config = TracingConfig.defaults().validate();
        assertThat(config.enabled()).isFalse();
        assertThat(config.address()).isEqualTo("localhost:4317");
        assertThat(config.endpoint()).isEqualTo("http://localhost:4317");
        assertThat(config.serviceName()).isEqualTo("etcd");
        assertThat(config.instanceId()).isEmpty();
        assertThat(config.samplingRatePerMillion()).isZero();
    }

    @Test
    void samplingRateIsPerMillion() {
        assertThat(TracingConfig.defaults().withSamplingRatePerMillion(250_000).samplingRatio()).isEqualTo(0.25);
        assertThatThrownBy(() -> TracingConfig.defaults().withSamplingRatePerMillion(1_000_001).validate())
                .hasMessageContaining("--distributed-tracing-sampling-rate");
        assertThatThrownBy(() -> TracingConfig.defaults().withSamplingRatePerMillion(-1).validate())
                .hasMessageContaining("--distributed-tracing-sampling-rate");
    }

    @Test
    void addressMustBeHostAndPortOrAnHttpUrl() {
        assertThat(TracingConfig.defaults().withAddress("https://collector:4317").validate().endpoint())
                .isEqualTo("https://collector:4317");
        for (String bad : new String[] {"", "localhost", "localhost:0", "localhost:70000", "ftp://x:1", "a b:1"}) {
            assertThatThrownBy(() -> TracingConfig.defaults().withAddress(bad).validate())
                    .as(bad).hasMessageContaining("--distributed-tracing-address");
        }
    }

    @Test
    void serviceNameMustNotBeEmpty() {
        assertThatThrownBy(() -> new TracingConfig(true, "localhost:4317", " ", "", 0).validate())
                .hasMessageContaining("--distributed-tracing-service-name");
    }
}
