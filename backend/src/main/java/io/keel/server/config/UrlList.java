package io.keel.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Parses the comma-separated URL lists of etcd's flags with etcd's rules: scheme http or https,
 * an explicit host:port, no path. Stateless; thread-safe.
 */
public final class UrlList {
    private UrlList() {
    }

    /** Parses a list; an empty text gives an empty list. */
    public static List<URI> parse(String flag, String text) throws FlagException {
        List<URI> urls = new ArrayList<>();
        if (text.isBlank()) {
            return urls;
        }
        for (String part : text.split(",")) {
            urls.add(parseOne(flag, part.trim()));
        }
        return urls;
    }

    static URI parseOne(String flag, String text) throws FlagException {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new FlagException(flag + ": invalid URL " + text + ": " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new FlagException(flag + ": URL scheme must be http or https: " + text);
        }
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new FlagException(flag + ": URL address does not have the form \"host:port\": " + text);
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            throw new FlagException(flag + ": URL must not contain a path: " + text);
        }
        return URI.create(scheme + "://" + uri.getRawAuthority());
    }

    /** A copy sorted by text, the order etcd keeps URL sets in. */
    public static List<URI> sorted(List<URI> urls) {
        List<URI> copy = new ArrayList<>(urls);
        copy.sort(Comparator.comparing(URI::toString));
        return List.copyOf(copy);
    }
}
