package io.keel.storage.wal;

import io.keel.raft.Entry;
import io.keel.raft.EntryType;
import io.keel.raft.HardState;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One logical record of the write-ahead log. Immutable value; thread-safe; the payload array is
 * owned by the record and must not be mutated.
 *
 * @param type    what the record means
 * @param term    Raft term (entry term, hard-state term, snapshot term; 0 when unused)
 * @param index   Raft index (entry index, hard-state commit, truncation point, snapshot index)
 * @param payload entry data, or the type-specific extra bytes described in {@link RecordType}
 */
public record WalRecord(RecordType type, long term, long index, byte[] payload) {
    private static final byte[] NONE = new byte[0];

    public WalRecord {
        Objects.requireNonNull(type, "type");
        payload = payload == null ? NONE : payload;
    }

    public static WalRecord ofEntry(Entry e) {
        RecordType t = e.type() == EntryType.CONF_CHANGE ? RecordType.ENTRY_CONF_CHANGE : RecordType.ENTRY_NORMAL;
        return new WalRecord(t, e.term(), e.index(), e.data());
    }

    public static WalRecord ofHardState(HardState hs) {
        return new WalRecord(RecordType.HARD_STATE, hs.term(), hs.commit(),
                ByteBuffer.allocate(Long.BYTES).putLong(hs.vote()).array());
    }

    public static WalRecord truncate(long fromIndex, long term) {
        return new WalRecord(RecordType.TRUNCATE, term, fromIndex, NONE);
    }

    public static WalRecord snapshot(long term, long index, boolean replacesLog) {
        return new WalRecord(RecordType.SNAPSHOT, term, index, new byte[] {(byte) (replacesLog ? 1 : 0)});
    }

    public Entry toEntry() {
        if (!type.isEntry()) {
            throw new IllegalStateException("not an entry record: " + type);
        }
        EntryType et = type == RecordType.ENTRY_CONF_CHANGE ? EntryType.CONF_CHANGE : EntryType.NORMAL;
        return new Entry(term, index, et, payload);
    }

    public HardState toHardState() {
        if (type != RecordType.HARD_STATE || payload.length != Long.BYTES) {
            throw new IllegalStateException("not a hard-state record: " + this);
        }
        return new HardState(term, ByteBuffer.wrap(payload).getLong(), index);
    }

    /** For a SNAPSHOT record: whether the log was replaced by the snapshot. */
    public boolean replacesLog() {
        return type == RecordType.SNAPSHOT && payload.length == 1 && payload[0] == 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WalRecord r && r.type == type && r.term == term && r.index == index
                && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, term, index) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "WalRecord{" + type + " " + term + "/" + index + " " + payload.length + "B}";
    }
}
