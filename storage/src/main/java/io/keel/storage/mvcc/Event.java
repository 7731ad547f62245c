package io.keel.storage.mvcc;

/**
 * One change in the store's history, as etcd's {@code mvccpb.Event}: a PUT carries the new
 * key-value; a DELETE carries the key with {@code modRevision} set to the deleting revision and
 * every other field zero. {@code revision} is the change's exact (main, sub). Immutable; thread-safe.
 */
public record Event(Type type, KeyValue kv, Revision revision) {
    /** etcd's {@code Event.EventType}. */
    public enum Type { PUT, DELETE }
}
