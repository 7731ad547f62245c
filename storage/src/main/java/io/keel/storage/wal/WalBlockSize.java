package io.keel.storage.wal;

/**
 * How much of a cycle file Chronicle maps at a time (its block size) for the records the log
 * holds. Stateless; thread-safe.
 *
 * <p>The cycle file is written through a shared mapping, so every page of a mapped chunk the
 * appender has touched counts in the member's RSS for as long as the chunk stays mapped.
 * Chronicle unmaps a chunk once its appender and readers have moved past it, so the chunk size
 * bounds what the log keeps resident. With Chronicle's default (64 MiB) a member's log grew its
 * RSS by every record written, ~32 MB per 100,000 puts of 256 B, up to the whole cycle file
 * (etcd writes its WAL with write(2), which keeps it out of RSS).
 *
 * <p>A record must fit in a chunk's overlap, a quarter of the block: Chronicle refuses larger
 * ones. The smallest block here, 8 MiB, takes records of 2 MiB, above etcd's default
 * {@code --max-request-bytes} (1.5 MiB); a log that meets a larger record maps larger chunks, up
 * to Chronicle's default.
 */
public final class WalBlockSize {
    /** The smallest block: its records may be 2 MiB, the default request limit's 1.5 MiB plus room. */
    public static final long MIN_BYTES = 8L << 20;
    /**
     * The largest block: Chronicle's default, with which the recovery scan reads every file, so no
     * record larger than its overlap (16 MiB) is ever written, as before chunks were sized here.
     */
    public static final long MAX_BYTES = 64L << 20;
    /** Chronicle's document header and alignment, kept free besides the record itself. */
    private static final long HEADROOM_BYTES = 4096;

    private WalBlockSize() {
    }

    /** The smallest block, a power of two from {@link #MIN_BYTES}, that holds a record of this size. */
    public static long forRecord(long recordBytes) {
        long need = 4 * (Math.max(0, recordBytes) + HEADROOM_BYTES);
        long block = MIN_BYTES;
        while (block < need && block < MAX_BYTES) {
            block <<= 1;
        }
        return block;
    }

    /** The largest record a block of this size takes. */
    public static long maxRecordBytes(long blockSize) {
        return blockSize / 4 - HEADROOM_BYTES;
    }
}
