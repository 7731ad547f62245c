package io.keel.raft;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Raft log entry. Immutable value; thread-safe. The {@code data} array is owned by the entry:
 * callers must not mutate it after construction.
 *
 * @param term  term of the leader that created the entry (>= 1 for real entries)
 * @param index position in the log (>= 1)
 * @param type  normal data or a configuration change
 * @param data  opaque payload, never null (empty for the leader's no-op)
 */
public record Entry(long term, long index, EntryType type, byte[] data) {
    private static final byte[] EMPTY = new byte[0];

    public Entry {
        Objects.requireNonNull(type, "type");
        data = data == null ? EMPTY : data;
        if (term < 0 || index < 0) {
            throw new IllegalArgumentException("negative term/index: " + term + "/" + index);
        }
    }

    public static Entry normal(long term, long index, byte[] data) {
        return new Entry(term, index, EntryType.NORMAL, data);
    }

    /** Approximate encoded size, used for message and batch size limits (etcd counts payload bytes). */
    public long sizeBytes() {
        return data.length + 24L;
    }

    /** Size as counted against the uncommitted-entries limit: payload bytes only, as etcd does. */
    public long payloadSizeBytes() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && e.term == term && e.index == index && e.type == type
                && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(term, index, type) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Entry{" + term + "/" + index + " " + type + " " + data.length + "B}";
    }
}
