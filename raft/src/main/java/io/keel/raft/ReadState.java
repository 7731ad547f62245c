package io.keel.raft;

import java.util.Arrays;

/**
 * Answer to {@link RawNode#readIndex(byte[])}: once the application has applied up to
 * {@code index}, a read issued with {@code context} is linearizable. Immutable; thread-safe.
 */
public record ReadState(long index, byte[] context) {
    @Override
    public boolean equals(Object o) {
        return o instanceof ReadState r && r.index == index && Arrays.equals(r.context, context);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + Arrays.hashCode(context);
    }

    @Override
    public String toString() {
        return "ReadState{" + index + "}";
    }
}
