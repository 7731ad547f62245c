package io.keel.storage.mvcc;

import io.keel.storage.mvcc.RangeRequest.SortOrder;
import io.keel.storage.mvcc.RangeRequest.SortTarget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately naive reference for the MVCC store: the full history of every key as a list,
 * scanned linearly, with etcd's rules written out again from etcd's code. No index, no LMDB.
 * Single-threaded test helper.
 */
final class ReferenceModel {
    /** A key's state from revision {@code rev}: a value, or null for a tombstone. */
    private record Version(long rev, KeyValue kv) {
    }

    private Map<String, List<Version>> history = new HashMap<>();
    private long currentRev = 1;
    private long compactRev = -1;

    long revision() {
        return currentRev;
    }

    // --- reads -------------------------------------------------------------------------------

    private KeyValue at(String key, long rev) {
        KeyValue found = null;
        for (Version v : history.getOrDefault(key, List.of())) {
            if (v.rev <= rev) {
                found = v.kv;
            }
        }
        return found;
    }

    private List<KeyValue> live(KeyRange range, long rev) {
        List<KeyValue> out = new ArrayList<>();
        for (String k : history.keySet()) {
            byte[] kb = TestStores.b(k);
            if (range.contains(kb)) {
                KeyValue kv = at(k, rev);
                if (kv != null) {
                    out.add(kv);
                }
            }
        }
        out.sort((a, b) -> Arrays.compareUnsigned(a.key(), b.key()));
        return out;
    }

    RangeResponse range(RangeRequest q) {
        return range(q, currentRev);
    }

    private RangeResponse range(RangeRequest q, long viewRev) {
        if (q.revision() > viewRev) {
            throw new FutureRevisionException();
        }
        long rev = q.revision() <= 0 ? viewRev : q.revision();
        if (rev < compactRev) {
            throw new CompactedException();
        }
        List<KeyValue> all = live(q.keyRange(), rev);
        if (q.countOnly()) {
            return new RangeResponse(List.of(), false, all.size(), viewRev);
        }
        boolean filtered = q.minModRevision() != 0 || q.maxModRevision() != 0 || q.minCreateRevision() != 0
                || q.maxCreateRevision() != 0;
        List<KeyValue> candidates = all;
        if (q.sortOrder() == SortOrder.NONE && !filtered && q.limit() > 0 && all.size() > q.limit() + 1) {
            // etcd's quirk: with no sort order a non-key target only re-sorts the first limit+1 keys
            candidates = all.subList(0, (int) q.limit() + 1);
        }
        List<KeyValue> kept = new ArrayList<>();
        for (KeyValue kv : candidates) {
            boolean ok = (q.minModRevision() == 0 || kv.modRevision() >= q.minModRevision())
                    && (q.maxModRevision() == 0 || kv.modRevision() <= q.maxModRevision())
                    && (q.minCreateRevision() == 0 || kv.createRevision() >= q.minCreateRevision())
                    && (q.maxCreateRevision() == 0 || kv.createRevision() <= q.maxCreateRevision());
            if (ok) {
                kept.add(kv);
            }
        }
        boolean byKeyAscending = q.sortTarget() == SortTarget.KEY && q.sortOrder() != SortOrder.DESCEND;
        if (!byKeyAscending) {
            Comparator<KeyValue> cmp = switch (q.sortTarget()) {
                case KEY -> (a, b) -> Arrays.compareUnsigned(a.key(), b.key());
                case VERSION -> Comparator.comparingLong(KeyValue::version);
                case CREATE -> Comparator.comparingLong(KeyValue::createRevision);
                case MOD -> Comparator.comparingLong(KeyValue::modRevision);
                case VALUE -> (a, b) -> Arrays.compareUnsigned(a.value(), b.value());
            };
            kept.sort(q.sortOrder() == SortOrder.DESCEND ? cmp.reversed() : cmp);
        }
        boolean more = q.limit() > 0 && kept.size() > q.limit();
        if (more) {
            kept = kept.subList(0, (int) q.limit());
        }
        if (q.keysOnly()) {
            kept = kept.stream().map(KeyValue::withoutValue).toList();
        }
        return new RangeResponse(kept, more, all.size(), viewRev);
    }

    // --- writes ------------------------------------------------------------------------------

    /** One write transaction; on an exception the model is left as before. */
    final class Write {
        private final long begin = currentRev;
        private int changes;
        private final Map<String, List<Version>> saved = deepCopy(history);

        long viewRev() {
            return changes == 0 ? begin : begin + 1;
        }

        PutResponse put(PutRequest p) {
            KeyValue prev = at(TestStores.s(p.key()), viewRev());
            if ((p.ignoreValue() || p.ignoreLease()) && prev == null) {
                throw new KeyNotFoundException();
            }
            long rev = begin + 1;
            KeyValue existing = at(TestStores.s(p.key()), rev);
            KeyValue kv = new KeyValue(p.key(), existing == null ? rev : existing.createRevision(), rev,
                    existing == null ? 1 : existing.version() + 1, p.ignoreValue() ? prev.value() : p.value(),
                    p.ignoreLease() ? prev.lease() : p.lease());
            history.computeIfAbsent(TestStores.s(p.key()), k -> new ArrayList<>()).add(new Version(rev, kv));
            changes++;
            return new PutResponse(rev, p.prevKv() ? prev : null);
        }

        DeleteRangeResponse delete(DeleteRangeRequest d) {
            List<KeyValue> doomed = live(d.keyRange(), viewRev());
            for (KeyValue kv : doomed) {
                history.get(TestStores.s(kv.key())).add(new Version(begin + 1, null));
                changes++;
            }
            long rev = changes == 0 ? begin : begin + 1;
            return new DeleteRangeResponse(rev, doomed.size(), d.prevKv() ? doomed : List.of());
        }

        TxnResponse txn(TxnRequest t) {
            List<Boolean> path = new ArrayList<>();
            decide(t, path);
            int[] cursor = {0};
            checkAll(t, path, cursor);
            cursor[0] = 0;
            TxnResponse r = run(t, path, cursor);
            return new TxnResponse(viewRev(), r.succeeded(), r.responses());
        }

        /** Flattened pre-order list of compare outcomes, decided before any write. */
        private void decide(TxnRequest t, List<Boolean> path) {
            boolean ok = t.compare().stream().allMatch(this::holds);
            path.add(ok);
            for (RequestOp op : ok ? t.success() : t.failure()) {
                if (op instanceof TxnRequest nested) {
                    decide(nested, path);
                }
            }
        }

        private boolean holds(Compare c) {
            List<KeyValue> kvs = live(c.keyRange(), begin);
            if (kvs.isEmpty()) {
                if (c.target() == Compare.CompareTarget.VALUE) {
                    return false;
                }
                kvs = List.of(new KeyValue(c.key(), 0, 0, 0, null, 0));
            }
            for (KeyValue kv : kvs) {
                int r = switch (c.target()) {
                    case VALUE -> Arrays.compareUnsigned(kv.value(), c.value());
                    case VERSION -> Long.compare(kv.version(), c.number());
                    case CREATE -> Long.compare(kv.createRevision(), c.number());
                    case MOD -> Long.compare(kv.modRevision(), c.number());
                    case LEASE -> Long.compare(kv.lease(), c.number());
                };
                boolean ok = switch (c.result()) {
                    case EQUAL -> r == 0;
                    case NOT_EQUAL -> r != 0;
                    case GREATER -> r > 0;
                    case LESS -> r < 0;
                };
                if (!ok) {
                    return false;
                }
            }
            return true;
        }

        private void checkAll(TxnRequest t, List<Boolean> path, int[] cursor) {
            boolean ok = path.get(cursor[0]++);
            for (RequestOp op : ok ? t.success() : t.failure()) {
                if (op instanceof TxnRequest nested) {
                    checkAll(nested, path, cursor);
                } else if (op instanceof PutRequest p && (p.ignoreLease() || p.ignoreValue())
                        && at(TestStores.s(p.key()), begin) == null) {
                    throw new KeyNotFoundException();
                } else if (op instanceof RangeRequest q && q.revision() != 0) {
                    if (q.revision() > begin) {
                        throw new FutureRevisionException();
                    }
                    if (q.revision() < compactRev) {
                        throw new CompactedException();
                    }
                }
            }
        }

        private TxnResponse run(TxnRequest t, List<Boolean> path, int[] cursor) {
            boolean ok = path.get(cursor[0]++);
            List<ResponseOp> out = new ArrayList<>();
            for (RequestOp op : ok ? t.success() : t.failure()) {
                if (op instanceof RangeRequest q) {
                    out.add(range(q, viewRev()));
                } else if (op instanceof PutRequest p) {
                    out.add(put(p));
                } else if (op instanceof DeleteRangeRequest d) {
                    out.add(delete(d));
                } else {
                    out.add(run((TxnRequest) op, path, cursor));
                }
            }
            return new TxnResponse(0, ok, out);
        }

        void compact(long rev) {
            if (rev <= compactRev) {
                throw new CompactedException();
            }
            if (rev > begin) {
                throw new FutureRevisionException();
            }
            compactRev = rev;
        }

        void commit() {
            currentRev = viewRev();
        }

        void abort() {
            history = saved;
        }
    }

    private static Map<String, List<Version>> deepCopy(Map<String, List<Version>> h) {
        Map<String, List<Version>> copy = new HashMap<>();
        h.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
        return copy;
    }
}
