package io.keel.tracing.otel;

import java.net.URI;

/**
 * Distributed tracing configuration, one field per etcd flag, with etcd's defaults.
 *
 * <p>Owner: the server's command line builds one and passes it to {@link RequestTracers#fromConfig}.
 * Thread-safety: immutable record.
 *
 * @param enabled                 {@code --enable-distributed-tracing} (default false)
 * @param address                 {@code --distributed-tracing-address}: the OTLP/gRPC collector,
 *                                {@code host:port} (default {@code localhost:4317}); an
 *                                {@code http://} or {@code https://} URL is accepted too
 * @param serviceName             {@code --distributed-tracing-service-name} (default {@code etcd},
 *                                as etcd, so existing Jaeger searches keep working)
 * @param instanceId              {@code --distributed-tracing-instance-id}: {@code service.instance.id}
 *                                (default empty: attribute left out, as etcd)
 * @param samplingRatePerMillion  {@code --distributed-tracing-sampling-rate}: new traces sampled per
 *                                million, 0 to 1,000,000 (default 0: only callers' sampled traces)
 */
public record TracingConfig(
        boolean enabled,
        String address,
        String serviceName,
        String instanceId,
        int samplingRatePerMillion) {

    public static final String DEFAULT_ADDRESS = "localhost:4317";
    public static final String DEFAULT_SERVICE_NAME = "etcd";
    public static final int MAX_SAMPLING_RATE_PER_MILLION = 1_000_000;

    /** etcd's defaults: tracing off. */
    public static TracingConfig defaults() {
        return new TracingConfig(false, DEFAULT_ADDRESS, DEFAULT_SERVICE_NAME, "", 0);
    }

    /** Tracing on with etcd's other defaults. */
    public static TracingConfig enabledDefaults() {
        return new TracingConfig(true, DEFAULT_ADDRESS, DEFAULT_SERVICE_NAME, "", 0);
    }

    public TracingConfig withAddress(String newAddress) {
        return new TracingConfig(enabled, newAddress, serviceName, instanceId, samplingRatePerMillion);
    }

    public TracingConfig withInstanceId(String newInstanceId) {
        return new TracingConfig(enabled, address, serviceName, newInstanceId, samplingRatePerMillion);
    }

    public TracingConfig withSamplingRatePerMillion(int rate) {
        return new TracingConfig(enabled, address, serviceName, instanceId, rate);
    }

    /** The ratio of new traces to sample, {@code samplingRatePerMillion / 1e6}. */
    public double samplingRatio() {
        return samplingRatePerMillion / (double) MAX_SAMPLING_RATE_PER_MILLION;
    }

    /** The exporter endpoint URL: {@code http://} + address unless a scheme is given. */
    public String endpoint() {
        return address.contains("://") ? address : "http://" + address;
    }

    /** Checks the values; returns this for chaining. */
    public TracingConfig validate() {
        if (samplingRatePerMillion < 0 || samplingRatePerMillion > MAX_SAMPLING_RATE_PER_MILLION) {
            throw new IllegalArgumentException("--distributed-tracing-sampling-rate must be in [0, "
                    + MAX_SAMPLING_RATE_PER_MILLION + "]: " + samplingRatePerMillion);
        }
        if (serviceName == null || serviceName.isBlank()) {
            throw new IllegalArgumentException("--distributed-tracing-service-name must not be empty");
        }
        if (instanceId == null) {
            throw new IllegalArgumentException("--distributed-tracing-instance-id must not be null (use \"\")");
        }
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("--distributed-tracing-address must not be empty");
        }
        URI uri;
        try {
            uri = URI.create(endpoint());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--distributed-tracing-address is not host:port: " + address, e);
        }
        if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("--distributed-tracing-address is not host:port: " + address);
        }
        return this;
    }
}
