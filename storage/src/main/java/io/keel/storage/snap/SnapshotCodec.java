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

    /**
     * Checks a whole snapshot file, streaming it through the checksum, and returns its metadata
     * only (data empty): a member's open needs the newest intact snapshot's position and
     * configuration, not its data, which can be as large as the store.
     *
     * @throws SnapshotFormatException when the file is not a whole, intact snapshot
     */
    public static SnapshotMetadata readMetadata(java.nio.channels.FileChannel ch) throws java.io.IOException {
        long size = ch.size();
        if (size < 4 + 1 + 8 + 8 + 4 + 4 + 4 + 4) {
            throw new SnapshotFormatException("snapshot of " + size + " bytes is too short");
        }
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(size - 4, 1 << 16));
        CRC32C crc = new CRC32C();
        long pos = 0;
        long body = size - 4;
        while (pos < body) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), body - pos));
            int n = ch.read(chunk, pos);
            if (n < 0) {
                throw new SnapshotFormatException("snapshot ends early at byte " + pos);
            }
            chunk.flip();
            if (head.hasRemaining()) {
                ByteBuffer dup = chunk.duplicate();
                dup.limit(dup.position() + Math.min(dup.remaining(), head.remaining()));
                head.put(dup);
            }
            crc.update(chunk);
            pos += n;
        }
        ByteBuffer tail = ByteBuffer.allocate(4);
        while (tail.hasRemaining()) {
            if (ch.read(tail, body + tail.position()) < 0) {
                throw new SnapshotFormatException("snapshot ends early in its checksum");
            }
        }
        if ((int) crc.getValue() != tail.getInt(0)) {
            throw new SnapshotFormatException("snapshot checksum mismatch");
        }
        try {
            head.flip();
            if (head.getInt() != MAGIC || head.get() != VERSION) {
                throw new SnapshotFormatException("not a Keel snapshot (bad magic or version)");
            }
            long term = head.getLong();
            long index = head.getLong();
            Set<Long> voters = readIds(head);
            Set<Long> learners = readIds(head);
            int length = head.getInt();
            long dataStart = head.position();
            if (length != body - dataStart) {
                throw new SnapshotFormatException("snapshot data length " + length + " != " + (body - dataStart));
            }
            return new SnapshotMetadata(new ConfState(voters, learners), index, term);
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
