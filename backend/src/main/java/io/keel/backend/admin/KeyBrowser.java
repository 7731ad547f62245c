package io.keel.backend.admin;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.DeleteRangeRequest;
import io.keel.api.etcdserverpb.PutRequest;
import io.keel.api.etcdserverpb.RangeRequest;
import io.keel.api.mvccpb.KeyValue;
import io.keel.server.ServerBackends;
import io.keel.server.kv.KvBackend;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The console's key browser: one level of the '/'-separated key tree at a time, paged on the
 * server. Folders are found by skipping: after the first key under a folder the scan jumps to the
 * folder's prefix end, so a page costs a few bounded, keys-only range reads however many keys lie
 * below (100,000 keys stay fast). Values and history are read through the KV back end (history by
 * ranges at older revisions, the MVCC store's own record). Event loop; thread-safe.
 */
final class KeyBrowser {
    static final int MAX_PAGE = 500;
    /** Bounds the work of one page when a level has many folders. */
    private static final int MAX_RANGES_PER_PAGE = 1_000;
    private static final int MAX_HISTORY = 20;
    private final ServerBackends backends;

    KeyBrowser(ServerBackends backends) {
        this.backends = backends;
    }

    /** One page of the level under {@code prefix}, starting at {@code cursor} (empty: the start). */
    Future<JsonObject> list(String prefix, String cursor, int limit) {
        int pageSize = Math.max(1, Math.min(MAX_PAGE, limit));
        ByteString end = prefix.isEmpty() ? ByteString.copyFrom(new byte[] {0}) : prefixEnd(utf8(prefix));
        ByteString from = cursor.isEmpty() ? utf8(prefix) : ByteString.copyFrom(Base64.getDecoder().decode(cursor));
        Page page = new Page(prefix, pageSize);
        return step(page, from, end, 0).map(next -> new JsonObject().put("prefix", prefix).put("entries", page.entries)
                .put("next", next == null ? null : Base64.getEncoder().encodeToString(next.toByteArray())));
    }

    private final class Page {
        final String prefix;
        final int size;
        final JsonArray entries = new JsonArray();

        Page(String prefix, int size) {
            this.prefix = prefix;
            this.size = size;
        }
    }

    /** Completes with the cursor of the next page, or null at the end of the level. */
    private Future<ByteString> step(Page page, ByteString from, ByteString end, int ranges) {
        if (page.entries.size() >= page.size || ranges >= MAX_RANGES_PER_PAGE) {
            return Future.succeededFuture(from);
        }
        RangeRequest req = RangeRequest.newBuilder().setKey(from).setRangeEnd(end).setKeysOnly(true)
                .setSerializable(true).setLimit(page.size - page.entries.size()).build();
        return AdminReply.on(kv().range(req)).compose(r -> {
            ByteString cursor = from;
            for (KeyValue kv : r.getKvsList()) {
                String key = kv.getKey().toStringUtf8();
                String rest = key.substring(Math.min(page.prefix.length(), key.length()));
                int slash = rest.indexOf('/');
                if (slash >= 0) {
                    String folder = page.prefix + rest.substring(0, slash + 1);
                    page.entries.add(new JsonObject().put("key", folder).put("folder", true));
                    ByteString skip = prefixEnd(utf8(folder));
                    return skip.isEmpty() || (!allKeys(end) && compare(skip, end) >= 0) ? Future.succeededFuture((ByteString) null)
                            : step(page, skip, end, ranges + 1);
                }
                page.entries.add(new JsonObject().put("key", key).put("folder", false)
                        .put("version", kv.getVersion()).put("modRevision", kv.getModRevision()));
                cursor = kv.getKey().concat(ByteString.copyFrom(new byte[] {0}));
            }
            if (!r.getMore()) {
                return Future.succeededFuture((ByteString) null);
            }
            return step(page, cursor, end, ranges + 1);
        });
    }

    /** The key's value (text, JSON or hex), metadata, and its earlier versions. */
    Future<JsonObject> get(String key) {
        return AdminReply.on(kv().range(RangeRequest.newBuilder().setKey(utf8(key)).build())).compose(r -> {
            if (r.getKvsCount() == 0) {
                return Future.succeededFuture(new JsonObject().put("key", key).put("exists", false));
            }
            KeyValue kv = r.getKvs(0);
            JsonObject out = value(kv).put("key", key).put("exists", true)
                    .put("createRevision", kv.getCreateRevision()).put("lease", Long.toHexString(kv.getLease()));
            JsonArray history = new JsonArray();
            out.put("history", history);
            return history(key, kv, history).map(x -> out);
        });
    }

    private Future<Void> history(String key, KeyValue newer, JsonArray out) {
        if (newer.getVersion() <= 1 || out.size() >= MAX_HISTORY) {
            return Future.succeededFuture();
        }
        RangeRequest req = RangeRequest.newBuilder().setKey(utf8(key)).setRevision(newer.getModRevision() - 1)
                .setSerializable(true).build();
        return AdminReply.on(kv().range(req)).compose(r -> {
            if (r.getKvsCount() == 0) {
                return Future.<Void>succeededFuture();
            }
            out.add(value(r.getKvs(0)));
            return history(key, r.getKvs(0), out);
        }, err -> Future.succeededFuture()); // older versions compacted away: the history ends there
    }

    Future<JsonObject> put(String key, String value) {
        return AdminReply.on(kv().put(PutRequest.newBuilder().setKey(utf8(key)).setValue(utf8(value)).build()))
                .map(r -> new JsonObject().put("revision", r.getHeader().getRevision()));
    }

    Future<JsonObject> delete(String key) {
        return AdminReply.on(kv().deleteRange(DeleteRangeRequest.newBuilder().setKey(utf8(key)).build()))
                .map(r -> new JsonObject().put("deleted", r.getDeleted()).put("revision", r.getHeader().getRevision()));
    }

    static JsonObject value(KeyValue kv) {
        JsonObject v = new JsonObject().put("modRevision", kv.getModRevision()).put("version", kv.getVersion())
                .put("size", kv.getValue().size());
        String text = decodeUtf8(kv.getValue().toByteArray());
        if (text == null) {
            StringBuilder hex = new StringBuilder();
            for (byte b : kv.getValue().toByteArray()) {
                hex.append(String.format("%02x", b & 0xff));
            }
            return v.put("encoding", "hex").put("value", hex.toString());
        }
        return v.put("encoding", looksLikeJson(text) ? "json" : "text").put("value", text);
    }

    private static boolean looksLikeJson(String s) {
        String t = s.trim();
        if (!(t.startsWith("{") || t.startsWith("["))) {
            return false;
        }
        try {
            io.vertx.core.json.Json.decodeValue(t);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String decodeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private KvBackend kv() {
        return AdminApi.kv(backends);
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFromUtf8(s);
    }

    /** etcd's prefix end: the key with its last non-0xff byte incremented; empty when none. */
    static ByteString prefixEnd(ByteString prefix) {
        byte[] b = prefix.toByteArray();
        for (int i = b.length - 1; i >= 0; i--) {
            if ((b[i] & 0xff) < 0xff) {
                b[i]++;
                return ByteString.copyFrom(b, 0, i + 1);
            }
        }
        return ByteString.EMPTY;
    }

    /** A range end of "\0" means every key from the start on. */
    private static boolean allKeys(ByteString end) {
        return end.size() == 1 && end.byteAt(0) == 0;
    }

    private static int compare(ByteString a, ByteString b) {
        return ByteString.unsignedLexicographicalComparator().compare(a, b);
    }
}
