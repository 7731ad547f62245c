package io.keel.storage.mvcc;

/** etcd's {@code DeleteRangeRequest}, with the same range_end rules as a range. Immutable; thread-safe. */
public record DeleteRangeRequest(byte[] key, byte[] rangeEnd, boolean prevKv) implements RequestOp {

    public KeyRange keyRange() {
        return new KeyRange(key, rangeEnd);
    }

    public static DeleteRangeRequest of(byte[] key, byte[] rangeEnd) {
        return new DeleteRangeRequest(key, rangeEnd, false);
    }
}
