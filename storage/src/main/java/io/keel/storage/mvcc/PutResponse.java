package io.keel.storage.mvcc;

/**
 * etcd's {@code PutResponse}; {@code prevKv} is null unless requested and the key existed.
 * Immutable; thread-safe.
 */
public record PutResponse(long revision, KeyValue prevKv) implements ResponseOp {
}
