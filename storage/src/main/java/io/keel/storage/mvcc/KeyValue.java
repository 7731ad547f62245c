package io.keel.storage.mvcc;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One version of a key, as etcd's {@code mvccpb.KeyValue}. {@code value} is empty (never null)
 * when the caller asked for keys only. Immutable once built (the arrays are not copied: callers
 * must not mutate them); thread-safe.
 *
 * @param createRevision main revision of the put that created the key's current generation
 * @param modRevision main revision of the last modification
 * @param version number of puts in the current generation (1 after creation)
 * @param lease lease id, 0 for none
 */
public record KeyValue(byte[] key, long createRevision, long modRevision, long version, byte[] value, long lease) {

    public KeyValue {
        key = key == null ? new byte[0] : key;
        value = value == null ? new byte[0] : value;
    }

    /** The same key-value without its value, for keys_only ranges. */
    public KeyValue withoutValue() {
        return new KeyValue(key, createRevision, modRevision, version, new byte[0], lease);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue kv && Arrays.equals(key, kv.key) && createRevision == kv.createRevision
                && modRevision == kv.modRevision && version == kv.version && Arrays.equals(value, kv.value)
                && lease == kv.lease;
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(key);
        h = 31 * h + Long.hashCode(modRevision);
        return 31 * h + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "KeyValue{key=" + HexFormat.of().formatHex(key) + ", create=" + createRevision + ", mod=" + modRevision
                + ", version=" + version + ", value=" + HexFormat.of().formatHex(value) + ", lease=" + lease + "}";
    }
}
