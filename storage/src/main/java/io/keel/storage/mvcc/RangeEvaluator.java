package io.keel.storage.mvcc;

import io.keel.storage.mvcc.RangeRequest.SortOrder;
import io.keel.storage.mvcc.RangeRequest.SortTarget;
import io.keel.storage.mvcc.index.IndexEntry;
import io.keel.storage.mvcc.index.TreeIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * etcd's range semantics over the index and one backend transaction: revision checks, count
 * before limit and filters, the limit+1 probe for {@code more}, min/max filters, sort defaulting,
 * keys_only. Stateless; thread-safe.
 */
final class RangeEvaluator {
    private RangeEvaluator() {
    }

    /** The revision a request reads at, after etcd's checks against {@code curRev} and {@code compactRev}. */
    static long readRevision(long requested, long curRev, long compactRev) {
        if (requested > curRev) {
            throw new FutureRevisionException();
        }
        long rev = requested <= 0 ? curRev : requested;
        if (rev < compactRev) {
            throw new CompactedException();
        }
        return rev;
    }

    static RangeResponse range(TreeIndex index, KvReader reader, RangeRequest r, long curRev, long compactRev) {
        long rev = readRevision(r.revision(), curRev, compactRev);
        KeyRange range = r.keyRange();
        if (r.countOnly()) {
            return new RangeResponse(List.of(), false, index.count(range, rev), curRev);
        }
        boolean filtered = r.minModRevision() != 0 || r.maxModRevision() != 0 || r.minCreateRevision() != 0
                || r.maxCreateRevision() != 0;
        boolean defaultOrdering = r.sortOrder() == SortOrder.NONE
                || (r.sortTarget() == SortTarget.KEY && r.sortOrder() == SortOrder.ASCEND);
        // As etcd: with no sort order even a non-key target fetches only limit+1 keys, then sorts those.
        long fetchLimit = !defaultOrdering || filtered ? 0 : r.limit();
        if (fetchLimit > 0) {
            fetchLimit++; // one extra tells whether there is more
        }
        TreeIndex.Revisions revs = index.revisions(range, rev, fetchLimit);
        List<KeyValue> kvs = new ArrayList<>(revs.entries().size());
        for (IndexEntry e : revs.entries()) {
            KeyValue kv = reader.read(e.modified());
            if (kv == null) {
                throw new IllegalStateException("index names revision " + e.modified() + " missing from the backend");
            }
            if (passesFilters(r, kv)) {
                kvs.add(kv);
            }
        }
        sort(kvs, r);
        boolean more = false;
        if (r.limit() > 0 && kvs.size() > r.limit()) {
            kvs = kvs.subList(0, (int) r.limit());
            more = true;
        }
        if (r.keysOnly()) {
            kvs.replaceAll(KeyValue::withoutValue);
        }
        return new RangeResponse(kvs, more, revs.total(), curRev);
    }

    private static boolean passesFilters(RangeRequest r, KeyValue kv) {
        return (r.maxModRevision() == 0 || kv.modRevision() <= r.maxModRevision())
                && (r.minModRevision() == 0 || kv.modRevision() >= r.minModRevision())
                && (r.maxCreateRevision() == 0 || kv.createRevision() <= r.maxCreateRevision())
                && (r.minCreateRevision() == 0 || kv.createRevision() >= r.minCreateRevision());
    }

    /** etcd's defaulting: a non-key target sorts ascending by default; key ascending is already the order. */
    private static void sort(List<KeyValue> kvs, RangeRequest r) {
        SortOrder order = r.sortOrder();
        if (r.sortTarget() != SortTarget.KEY && order == SortOrder.NONE) {
            order = SortOrder.ASCEND;
        } else if (r.sortTarget() == SortTarget.KEY && order == SortOrder.ASCEND) {
            order = SortOrder.NONE;
        }
        if (order == SortOrder.NONE) {
            return;
        }
        Comparator<KeyValue> cmp = comparator(r.sortTarget());
        kvs.sort(order == SortOrder.DESCEND ? cmp.reversed() : cmp);
    }

    static Comparator<KeyValue> comparator(SortTarget target) {
        return switch (target) {
            case KEY -> (a, b) -> Arrays.compareUnsigned(a.key(), b.key());
            case VERSION -> Comparator.comparingLong(KeyValue::version);
            case CREATE -> Comparator.comparingLong(KeyValue::createRevision);
            case MOD -> Comparator.comparingLong(KeyValue::modRevision);
            case VALUE -> (a, b) -> Arrays.compareUnsigned(a.value(), b.value());
        };
    }
}
