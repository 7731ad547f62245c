package io.keel.storage.snap;

import io.keel.raft.HardState;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The hard-state checkpoint {@code <data-dir>/member/snap/hardstate}: {@code "KHST" version:u8
 * term:i64 vote:i64 commit:i64 crc32c:i32}. The log carries every hard state as it is saved; this
 * file keeps the latest one when compaction deletes the log files that held it. Written
 * atomically. Owned by {@code DurableRaftStorage}; not thread-safe.
 */
public final class HardStateFile {
    public static final String NAME = "hardstate";
    private static final int MAGIC = 0x4b485354; // "KHST"
    private static final byte VERSION = 1;
    private static final int SIZE = 4 + 1 + 8 + 8 + 8 + 4;

    private final Path path;

    public HardStateFile(Path snapDir) {
        this.path = snapDir.resolve(NAME);
    }

    public Path path() {
        return path;
    }

    public void save(HardState hs) {
        ByteBuffer buf = ByteBuffer.allocate(SIZE);
        buf.putInt(MAGIC).put(VERSION).putLong(hs.term()).putLong(hs.vote()).putLong(hs.commit());
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, SIZE - 4);
        buf.putInt((int) crc.getValue());
        AtomicFiles.write(path, buf.array());
    }

    /**
     * The saved hard state, or {@link HardState#EMPTY} when there is no file.
     *
     * @throws SnapshotFormatException naming the file when it is damaged (it was written atomically,
     *                                 so damage is corruption, not a torn write)
     */
    public HardState load() {
        byte[] in;
        try {
            in = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return HardState.EMPTY;
        } catch (IOException e) {
            throw new SnapshotFormatException("snap: cannot read " + path + ": " + e);
        }
        CRC32C crc = new CRC32C();
        crc.update(in, 0, Math.max(0, in.length - 4));
        ByteBuffer buf = ByteBuffer.wrap(in);
        if (in.length != SIZE || (int) crc.getValue() != buf.getInt(SIZE - 4)
                || buf.getInt() != MAGIC || buf.get() != VERSION) {
            throw new SnapshotFormatException("snap: hard state file " + path + " is corrupt");
        }
        return new HardState(buf.getLong(), buf.getLong(), buf.getLong());
    }
}
