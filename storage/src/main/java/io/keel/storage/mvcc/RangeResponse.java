package io.keel.storage.mvcc;

import java.util.List;

/**
 * etcd's {@code RangeResponse}. {@code count} is the number of keys in the range at the read
 * revision before limit and the min/max filters are applied, as etcd computes it.
 * {@code revision} is the store's current revision (etcd's header revision), not the read
 * revision. Immutable; thread-safe.
 */
public record RangeResponse(List<KeyValue> kvs, boolean more, long count, long revision) implements ResponseOp {
    public RangeResponse {
        kvs = List.copyOf(kvs);
    }
}
