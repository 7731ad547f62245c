package io.keel.storage.mvcc;

import io.keel.storage.mvcc.backend.KeyValueCodec;
import io.keel.storage.mvcc.backend.LmdbBackend;
import io.keel.storage.mvcc.backend.RevisionKeys;
import java.util.ArrayList;
import java.util.List;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Txn;

/** Reads stored revisions in order as watch events (etcd's kvsToEvents). Stateless; thread-safe. */
final class HistoryReader {
    private HistoryReader() {
    }

    static List<Event> read(LmdbBackend backend, Txn<byte[]> txn, long fromRev, long toRev, int limit) {
        List<Event> events = new ArrayList<>();
        try (CursorIterable<byte[]> it = backend.revisionsFrom(txn, RevisionKeys.lowerBound(Math.max(0, fromRev)))) {
            for (CursorIterable.KeyVal<byte[]> kv : it) {
                Revision rev = RevisionKeys.decode(kv.key());
                if (rev.main() > toRev || (limit > 0 && events.size() >= limit)) {
                    break;
                }
                KeyValue stored = KeyValueCodec.decode(kv.val());
                if (RevisionKeys.isTombstone(kv.key())) {
                    events.add(new Event(Event.Type.DELETE, new KeyValue(stored.key(), 0, rev.main(), 0, null, 0), rev));
                } else {
                    events.add(new Event(Event.Type.PUT, stored, rev));
                }
            }
        }
        return events;
    }
}
