package io.keel.storage.mvcc;

import java.util.List;

/**
 * etcd's {@code DeleteRangeResponse}; {@code prevKvs} is empty unless requested.
 * Immutable; thread-safe.
 */
public record DeleteRangeResponse(long revision, long deleted, List<KeyValue> prevKvs) implements ResponseOp {
    public DeleteRangeResponse {
        prevKvs = List.copyOf(prevKvs);
    }
}
