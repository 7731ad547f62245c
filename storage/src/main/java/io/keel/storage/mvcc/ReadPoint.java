package io.keel.storage.mvcc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reader sees, published as one object: the store's revision {@code rev}, the highest
 * revision {@code flushedRev} whose LMDB commit has completed, and the changes in between
 * ({@code unflushed}, in revision order), which a write transaction published before its commit
 * (etcd's read buffer in front of the uncommitted batch). A reader takes the point first and its
 * LMDB read transaction second: the transaction then holds every revision up to
 * {@code flushedRev}, and the point holds the rest. Immutable and thread-safe.
 */
record ReadPoint(long rev, long flushedRev, List<Event> unflushed, Map<Revision, KeyValue> unflushedPuts) {

    /** A point with nothing outside LMDB. */
    static ReadPoint flushed(long rev) {
        return new ReadPoint(rev, rev, List.of(), Map.of());
    }

    /** A point at the last of {@code changes} (revision order, all above {@code flushedRev}), none of them in LMDB yet. */
    static ReadPoint unflushed(long rev, long flushedRev, List<Event> changes) {
        Map<Revision, KeyValue> puts = new HashMap<>(changes.size() * 2);
        for (Event e : changes) {
            if (e.type() == Event.Type.PUT) {
                puts.put(e.revision(), e.kv());
            }
        }
        return new ReadPoint(rev, flushedRev, List.copyOf(changes), puts);
    }

    /** True if the key-value at {@code at} is not in LMDB yet and must come from {@link #unflushedPut}. */
    boolean isUnflushed(Revision at) {
        return at.main() > flushedRev;
    }

    KeyValue unflushedPut(Revision at) {
        return unflushedPuts.get(at);
    }

    /** The unflushed changes with main revision in {@code [fromRev, toRev]}, appended to {@code out} while it holds fewer than {@code limit} ({@code <= 0}: no limit). */
    void appendUnflushed(List<Event> out, long fromRev, long toRev, int limit) {
        for (Event e : unflushed) {
            long main = e.revision().main();
            if (main > toRev || (limit > 0 && out.size() >= limit)) {
                return;
            }
            if (main >= fromRev) {
                out.add(e);
            }
        }
    }
}
