package io.keel.server.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The members of {@code --initial-cluster}: name to its sorted peer URLs, in the order given.
 * A name may appear several times, once per URL, as etcd allows. Immutable value; thread-safe.
 *
 * @param members member name to its peer URLs (sorted by their text, as etcd sorts them)
 */
public record PeerUrlsMap(Map<String, List<URI>> members) {
    public PeerUrlsMap {
        Map<String, List<URI>> copy = new LinkedHashMap<>();
        members.forEach((k, v) -> copy.put(k, UrlList.sorted(v)));
        members = Collections.unmodifiableMap(copy);
    }

    /** Parses {@code name1=http://a:2380,name2=http://b:2380}. */
    public static PeerUrlsMap parse(String text) throws FlagException {
        Map<String, List<URI>> members = new LinkedHashMap<>();
        for (String part : text.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new FlagException("--initial-cluster: '" + part + "' is not name=peer-url");
            }
            URI url = UrlList.parseOne("--initial-cluster", part.substring(eq + 1).trim());
            members.computeIfAbsent(part.substring(0, eq).trim(), k -> new ArrayList<>()).add(url);
        }
        return new PeerUrlsMap(members);
    }

    /** The map {@code name=<each url>} that etcd derives when {@code --initial-cluster} is not given. */
    public static PeerUrlsMap ofSingle(String name, List<URI> urls) {
        return new PeerUrlsMap(Map.of(name, urls));
    }

    /** Back to the flag text. */
    public String toFlagText() {
        List<String> parts = new ArrayList<>();
        members.forEach((name, urls) -> urls.forEach(u -> parts.add(name + "=" + u)));
        return String.join(",", parts);
    }
}
