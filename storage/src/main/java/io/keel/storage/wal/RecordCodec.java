package io.keel.storage.wal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk encoding of a {@link WalRecord}, one per Chronicle document:
 * {@code version:u8 type:u8 term:i64 index:i64 length:i32 payload[length] crc32c:i32}, big-endian,
 * the checksum covering every byte before it. Stateless; thread-safe.
 */
public final class RecordCodec {
    /** Format version written in the first byte of every record. */
    public static final byte VERSION = 1;
    /** Bytes a record occupies besides its payload. */
    public static final int OVERHEAD_BYTES = 1 + 1 + 8 + 8 + 4 + 4;

    private RecordCodec() {
    }

    public static byte[] encode(WalRecord r) {
        byte[] out = new byte[OVERHEAD_BYTES + r.payload().length];
        ByteBuffer buf = ByteBuffer.wrap(out);
        buf.put(VERSION).put(r.type().code()).putLong(r.term()).putLong(r.index())
                .putInt(r.payload().length).put(r.payload());
        CRC32C crc = new CRC32C();
        crc.update(out, 0, out.length - 4);
        buf.putInt((int) crc.getValue());
        return out;
    }

    /**
     * Decodes one record.
     *
     * @throws CorruptRecordException when the length, version, type or checksum do not hold
     */
    public static WalRecord decode(byte[] in) {
        return decode(in, in.length, true);
    }

    /**
     * Decodes the record in the first {@code length} bytes of {@code in}, checking it as
     * {@link #decode(byte[])} does. Without {@code keepEntryPayload} an entry record comes back
     * with an empty payload: recovery only needs its term and index, and copying every entry's
     * data out (the whole log, kept until replay) was most of a restart's garbage.
     *
     * @throws CorruptRecordException when the length, version, type or checksum do not hold
     */
    public static WalRecord decode(byte[] in, int length, boolean keepEntryPayload) {
        if (length < OVERHEAD_BYTES) {
            throw new CorruptRecordException("record of " + length + " bytes is shorter than its header");
        }
        ByteBuffer buf = ByteBuffer.wrap(in, 0, length);
        byte version = buf.get();
        byte code = buf.get();
        long term = buf.getLong();
        long index = buf.getLong();
        int payloadLength = buf.getInt();
        if (payloadLength != length - OVERHEAD_BYTES) {
            throw new CorruptRecordException("payload length " + payloadLength + " does not match record size " + length);
        }
        CRC32C crc = new CRC32C();
        crc.update(in, 0, length - 4);
        int expected = ByteBuffer.wrap(in, length - 4, 4).getInt();
        if ((int) crc.getValue() != expected) {
            throw new CorruptRecordException("checksum mismatch (crc32c " + Integer.toHexString((int) crc.getValue())
                    + " != stored " + Integer.toHexString(expected) + ")");
        }
        if (version != VERSION) {
            throw new CorruptRecordException("unknown record version " + version);
        }
        RecordType type = RecordType.ofCode(code);
        if (type == null) {
            throw new CorruptRecordException("unknown record type " + code);
        }
        if (!keepEntryPayload && type.isEntry()) {
            return new WalRecord(type, term, index, null);
        }
        byte[] payload = new byte[payloadLength];
        buf.get(payload);
        return new WalRecord(type, term, index, payload);
    }
}
