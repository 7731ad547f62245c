package io.keel.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.tracing.log.LogLevel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** etcd's logging, apply-warning and tracing flags, read into the observability settings. */
class ObservabilityConfigTest {
    private static ObservabilityConfig parse(String... args) throws FlagException {
        Map<Flag, String> flags = FlagParser.parse(args);
        return ObservabilityConfig.fromFlags(ServerConfigParser.fromFlags(flags), flags);
    }

    @Test
    void defaultsAreEtcds() throws Exception {
        ObservabilityConfig c = parse();
        assertThat(c.log().level()).isEqualTo(LogLevel.INFO);
        assertThat(c.log().outputs()).containsExactly("default");
        assertThat(c.log().rotationEnabled()).isFalse();
        assertThat(c.steps().warnApplyDuration()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.steps().slowRequestThreshold()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.tracing().enabled()).isFalse();
        assertThat(c.tracing().address()).isEqualTo("localhost:4317");
        assertThat(c.tracing().serviceName()).isEqualTo("etcd");
        assertThat(c.consoleJaegerUrl()).isEqualTo("http://localhost:16686");
    }

    @Test
    void keelsSlowRequestThresholdAndJaegerUrlAreRead() throws Exception {
        ObservabilityConfig c = parse("--slow-request-threshold", "1ms", "--console-jaeger-url", "https://jaeger.example/");
        assertThat(c.steps().slowRequestThreshold()).isEqualTo(Duration.ofMillis(1));
        assertThat(c.consoleJaegerUrl()).isEqualTo("https://jaeger.example");
    }

    @Test
    void everyFlagIsRead() throws Exception {
        ObservabilityConfig c = parse("--log-level", "warn", "--log-outputs", "stdout,/var/log/keel.log",
                "--enable-log-rotation", "--log-rotation-config-json", "{\"maxsize\": 5, \"maxbackups\": 3}",
                "--experimental-warning-apply-duration", "250ms", "--enable-distributed-tracing",
                "--distributed-tracing-address", "127.0.0.1:14317", "--distributed-tracing-sampling-rate", "100",
                "--distributed-tracing-instance-id", "m1");
        assertThat(c.log().level()).isEqualTo(LogLevel.WARN);
        assertThat(c.log().outputs()).isEqualTo(List.of("stdout", "/var/log/keel.log"));
        assertThat(c.log().rotationEnabled()).isTrue();
        assertThat(c.log().rotationMaxSizeBytes()).isEqualTo(5L * 1024 * 1024);
        assertThat(c.log().rotationMaxBackups()).isEqualTo(3);
        assertThat(c.steps().warnApplyDuration()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.tracing().enabled()).isTrue();
        assertThat(c.tracing().endpoint()).isEqualTo("http://127.0.0.1:14317");
        assertThat(c.tracing().samplingRatePerMillion()).isEqualTo(100);
        assertThat(c.tracing().instanceId()).isEqualTo("m1");
    }

    @Test
    void aRepeatedOutputOrAZeroApplyDurationIsRefused() {
        assertThatThrownBy(() -> parse("--log-outputs", "stderr,default")).isInstanceOf(FlagException.class)
                .hasMessageContaining("more than once");
        assertThatThrownBy(() -> parse("--experimental-warning-apply-duration", "0")).isInstanceOf(FlagException.class);
    }
}
