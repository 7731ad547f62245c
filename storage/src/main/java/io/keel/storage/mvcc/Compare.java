package io.keel.storage.mvcc;

/**
 * etcd's {@code Compare}: {@code target} of every key in {@code [key, rangeEnd)} compared with
 * the operand by {@code result}. {@code number} is the operand for VERSION, CREATE, MOD and LEASE;
 * {@code value} for VALUE. Immutable; thread-safe.
 */
public record Compare(CompareResult result, CompareTarget target, byte[] key, byte[] rangeEnd, long number,
        byte[] value) {

    /** etcd's {@code Compare.CompareResult}. */
    public enum CompareResult { EQUAL, GREATER, LESS, NOT_EQUAL }

    /** etcd's {@code Compare.CompareTarget}. */
    public enum CompareTarget { VERSION, CREATE, MOD, VALUE, LEASE }

    public Compare {
        rangeEnd = rangeEnd == null ? new byte[0] : rangeEnd;
        value = value == null ? new byte[0] : value;
    }

    public KeyRange keyRange() {
        return new KeyRange(key, rangeEnd);
    }

    public static Compare value(byte[] key, CompareResult result, byte[] value) {
        return new Compare(result, CompareTarget.VALUE, key, null, 0, value);
    }

    public static Compare number(byte[] key, CompareTarget target, CompareResult result, long operand) {
        return new Compare(result, target, key, null, operand, null);
    }
}
