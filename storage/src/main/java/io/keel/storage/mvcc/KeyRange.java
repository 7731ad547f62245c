package io.keel.storage.mvcc;

import java.util.Arrays;

/**
 * etcd's {@code [key, range_end)} rules, resolved once. An empty {@code rangeEnd} means the single
 * key; {@code "\0"} means every key {@code >= key}; {@code key="\0", range_end="\0"} therefore
 * means all keys. Immutable; thread-safe.
 */
public record KeyRange(byte[] key, byte[] rangeEnd) {

    private static final byte[] EMPTY = new byte[0];

    public KeyRange {
        key = key == null ? EMPTY : key;
        rangeEnd = rangeEnd == null ? EMPTY : rangeEnd;
    }

    public boolean isSingleKey() {
        return rangeEnd.length == 0;
    }

    /** True when the range has no upper bound (range_end is "\0"). */
    public boolean isUnbounded() {
        return rangeEnd.length == 1 && rangeEnd[0] == 0;
    }

    public boolean contains(byte[] candidate) {
        if (isSingleKey()) {
            return Arrays.equals(key, candidate);
        }
        if (Arrays.compareUnsigned(candidate, key) < 0) {
            return false;
        }
        return isUnbounded() || Arrays.compareUnsigned(candidate, rangeEnd) < 0;
    }

    /** The smallest key strictly after every key with this prefix, as clientv3's GetPrefixRangeEnd. */
    public static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xff) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return new byte[] {0};
    }
}
