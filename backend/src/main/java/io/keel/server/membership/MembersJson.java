package io.keel.server.membership;

import io.keel.api.etcdserverpb.Member;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The member list as etcd's peer endpoint {@code GET /members} writes it: a JSON array of
 * {@code {"id": <uint64>, "peerURLs": [...], "name": "...", "clientURLs": [...], "isLearner": true}}
 * (name, client URLs and isLearner omitted when empty or false). Ids are unsigned 64-bit numbers.
 * Stateless; thread-safe.
 */
public final class MembersJson {
    private MembersJson() {
    }

    public static String encode(List<Member> members) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"id\":").append(Long.toUnsignedString(m.getID()));
            b.append(",\"peerURLs\":");
            strings(b, m.getPeerURLsList());
            if (!m.getName().isEmpty()) {
                b.append(",\"name\":");
                string(b, m.getName());
            }
            if (m.getClientURLsCount() > 0) {
                b.append(",\"clientURLs\":");
                strings(b, m.getClientURLsList());
            }
            if (m.getIsLearner()) {
                b.append(",\"isLearner\":true");
            }
            b.append('}');
        }
        return b.append(']').toString();
    }

    /**
     * Decodes what {@link #encode} (or etcd) wrote, from a parsed JSON array of objects (any JSON
     * library's maps, lists, strings, numbers and booleans).
     */
    @SuppressWarnings("unchecked")
    public static List<Member> decode(List<?> parsed) {
        List<Member> out = new ArrayList<>();
        for (Object o : parsed) {
            if (!(o instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("member is not an object: " + o);
            }
            Object id = m.get("id");
            if (!(id instanceof Number)) {
                throw new IllegalArgumentException("member without id: " + m);
            }
            Member.Builder mb = Member.newBuilder().setID(new BigInteger(id.toString()).longValue());
            if (m.get("peerURLs") instanceof List<?> urls) {
                urls.forEach(u -> mb.addPeerURLs(u.toString()));
            }
            if (m.get("clientURLs") instanceof List<?> urls) {
                urls.forEach(u -> mb.addClientURLs(u.toString()));
            }
            if (m.get("name") instanceof String name) {
                mb.setName(name);
            }
            mb.setIsLearner(Boolean.TRUE.equals(m.get("isLearner")));
            out.add(mb.build());
        }
        return out;
    }

    private static void strings(StringBuilder b, List<String> values) {
        b.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            string(b, values.get(i));
        }
        b.append(']');
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
