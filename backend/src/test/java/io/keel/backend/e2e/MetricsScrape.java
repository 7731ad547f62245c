package io.keel.backend.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** One scrape of a member's {@code /metrics}: each sample's value by its exact series text. */
final class MetricsScrape {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final Map<String, Double> samples;

    private MetricsScrape(Map<String, Double> samples) {
        this.samples = samples;
    }

    static MetricsScrape of(String clientUrl) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(clientUrl + "/metrics"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + r.statusCode() + ": " + r.body());
        }
        Map<String, Double> samples = new HashMap<>();
        for (String line : r.body().split("\n")) {
            int space = line.lastIndexOf(' ');
            if (line.isEmpty() || line.startsWith("#") || space < 0) {
                continue;
            }
            String v = line.substring(space + 1);
            samples.put(line.substring(0, space), switch (v) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(v);
            });
        }
        return new MetricsScrape(samples);
    }

    /** The value of {@code series} (name plus labels exactly as exported); fails if absent. */
    double value(String series) {
        Double v = samples.get(series);
        if (v == null) {
            throw new AssertionError("no series " + series + " in /metrics");
        }
        return v;
    }

    /** The value of {@code series}, 0 if the member has not created it yet. */
    double valueOrZero(String series) {
        return samples.getOrDefault(series, 0.0);
    }

    /** A grpc-prometheus series of {@code family} for one method. */
    static String grpc(String family, String service, String method, String type) {
        return family + "{grpc_method=\"" + method + "\",grpc_service=\"" + service + "\",grpc_type=\"" + type + "\"}";
    }
}
