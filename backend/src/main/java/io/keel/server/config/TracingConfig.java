package io.keel.server.config;

import java.util.Objects;

/**
 * The distributed-tracing flags. Immutable value; thread-safe.
 *
 * @param enabled                 {@code --enable-distributed-tracing}
 * @param address                 OTLP/gRPC collector address, host:port
 * @param serviceName             OpenTelemetry service.name
 * @param instanceId              service.instance.id; empty for none
 * @param samplingRatePerMillion  spans sampled per million root spans (etcd's unit), 0..1,000,000
 */
public record TracingConfig(boolean enabled, String address, String serviceName, String instanceId,
                            int samplingRatePerMillion) {
    public static final int MAX_SAMPLING_RATE_PER_MILLION = 1_000_000;

    public TracingConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(instanceId, "instanceId");
    }

    /** Checks the settings (only when tracing is enabled, as etcd does); returns this. */
    public TracingConfig validate() {
        if (!enabled) {
            return this;
        }
        if (samplingRatePerMillion < 0 || samplingRatePerMillion > MAX_SAMPLING_RATE_PER_MILLION) {
            throw new IllegalArgumentException("--distributed-tracing-sampling-rate must be between 0 and 1000000"
                    + " (set to " + samplingRatePerMillion + ")");
        }
        if (address.isBlank()) {
            throw new IllegalArgumentException("--distributed-tracing-address must not be empty");
        }
        return this;
    }
}
