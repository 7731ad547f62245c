package io.keel.storage.mvcc;

/**
 * etcd's {@code RangeRequest}. {@code revision <= 0} reads at the current revision; a
 * {@code limit <= 0} means no limit; min/max revision filters of 0 are off. Build with
 * {@link #builder(byte[])}. Immutable; thread-safe.
 */
public record RangeRequest(
        byte[] key,
        byte[] rangeEnd,
        long limit,
        long revision,
        SortOrder sortOrder,
        SortTarget sortTarget,
        boolean serializable,
        boolean keysOnly,
        boolean countOnly,
        long minModRevision,
        long maxModRevision,
        long minCreateRevision,
        long maxCreateRevision) implements RequestOp {

    /** etcd's {@code RangeRequest.SortOrder}. */
    public enum SortOrder { NONE, ASCEND, DESCEND }

    /** etcd's {@code RangeRequest.SortTarget}. */
    public enum SortTarget { KEY, VERSION, CREATE, MOD, VALUE }

    public RangeRequest {
        sortOrder = sortOrder == null ? SortOrder.NONE : sortOrder;
        sortTarget = sortTarget == null ? SortTarget.KEY : sortTarget;
    }

    public KeyRange keyRange() {
        return new KeyRange(key, rangeEnd);
    }

    public static Builder builder(byte[] key) {
        return new Builder(key);
    }

    /** Mutable builder; confine to one thread. */
    public static final class Builder {
        private final byte[] key;
        private byte[] rangeEnd = new byte[0];
        private long limit;
        private long revision;
        private SortOrder sortOrder = SortOrder.NONE;
        private SortTarget sortTarget = SortTarget.KEY;
        private boolean serializable;
        private boolean keysOnly;
        private boolean countOnly;
        private long minModRevision;
        private long maxModRevision;
        private long minCreateRevision;
        private long maxCreateRevision;

        private Builder(byte[] key) {
            this.key = key;
        }

        public Builder rangeEnd(byte[] v) { rangeEnd = v; return this; }
        public Builder prefix() { rangeEnd = KeyRange.prefixEnd(key); return this; }
        public Builder fromKey() { rangeEnd = new byte[] {0}; return this; }
        public Builder limit(long v) { limit = v; return this; }
        public Builder revision(long v) { revision = v; return this; }
        public Builder sort(SortTarget target, SortOrder order) { sortTarget = target; sortOrder = order; return this; }
        public Builder serializable(boolean v) { serializable = v; return this; }
        public Builder keysOnly(boolean v) { keysOnly = v; return this; }
        public Builder countOnly(boolean v) { countOnly = v; return this; }
        public Builder minModRevision(long v) { minModRevision = v; return this; }
        public Builder maxModRevision(long v) { maxModRevision = v; return this; }
        public Builder minCreateRevision(long v) { minCreateRevision = v; return this; }
        public Builder maxCreateRevision(long v) { maxCreateRevision = v; return this; }

        public RangeRequest build() {
            return new RangeRequest(key, rangeEnd, limit, revision, sortOrder, sortTarget, serializable, keysOnly,
                    countOnly, minModRevision, maxModRevision, minCreateRevision, maxCreateRevision);
        }
    }
}
