package io.keel.storage.snap;

import io.keel.raft.ConfState;
import io.keel.raft.Snapshot;
import io.keel.raft.SnapshotMetadata;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The snapshot file format: {@code "KSNP" version:u8 term:i64 index:i64 voters:i32 ids
 * learners:i32 ids dataLength:i32 data crc32c:i32}, big-endian, the checksum covering all bytes
 * before it. Stateless; thread-safe.
 */
public final class SnapshotCodec {
    private static final int MAGIC = 0x4b534e50; // "KSNP"
    private static final byte VERSION = 1;

    private SnapshotCodec() {
    }

    public static byte[] encode(Snapshot snap) {
        SnapshotMetadata m = snap.metadata();
        ConfState cs = m.confState();
        int size = 4 + 1 + 8 + 8 + 4 + 8 * cs.voters().size() + 4 + 8 * cs.learners().size() + 4
                + snap.data().length + 4;
        ByteBuffer buf = ByteBuffer.allocate(size);
        buf.putInt(MAGIC).put(VERSION).putLong(m.term()).putLong(m.index());
        buf.putInt(cs.voters().size());
        cs.voters().forEach(buf::putLong);
        buf.putInt(cs.learners().size());
        cs.learners().forEach(buf::putLong);
        buf.putInt(snap.data().length).put(snap.data());
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, size - 4);
        buf.putInt((int) crc.getValue());
        return buf.array();
    }

    /** @throws SnapshotFormatException when the bytes are not a whole, intact snapshot */
    public static Snapshot decode(byte[] in) {
        if (in.length < 4 + 1 + 8 + 8 + 4 + 4 + 4 + 4) {
            throw new SnapshotFormatException("snapshot of " + in.length + " bytes is too short");
        }
        CRC32C crc = new CRC32C();
        crc.update(in, 0, in.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(in, in.length - 4, 4).getInt()) {
            throw new SnapshotFormatException("snapshot checksum mismatch");
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(in, 0, in.length - 4);
            if (buf.getInt() != MAGIC || buf.get() != VERSION) {
                throw new SnapshotFormatException("not a Keel snapshot (bad magic or version)");
            }
            long term = buf.getLong();
            long index = buf.getLong();
            Set<Long> voters = readIds(buf);
            Set<Long> learners = readIds(buf);
            int length = buf.getInt();
            if (length != buf.remaining()) {
                throw new SnapshotFormatException("snapshot data length " + length + " != " + buf.remaining());
            }
            byte[] data = new byte[length];
            buf.get(data);
            return new Snapshot(new SnapshotMetadata(new ConfState(voters, learners), index, term), data);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new SnapshotFormatException("malformed snapshot: " + e);
        }
    }

    private static Set<Long> readIds(ByteBuffer buf) {
        int n = buf.getInt();
        if (n < 0 || n > buf.remaining() / 8) {
            throw new SnapshotFormatException("bad member count " + n);
        }
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < n; i++) {
            ids.add(buf.getLong());
        }
        return ids;
    }
}
