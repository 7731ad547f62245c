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
 * ones. The smallest block here, 2 MiB, takes records of 508 KiB, which holds a put of a value
 * up to about 500 KiB; a log that meets a larger record (etcd's default
 * {@code --max-request-bytes} lets a request reach 1.5 MiB) syncs and maps larger chunks from then
 * on, up to Chronicle's default, and after a restart maps them for the largest record it holds.
 * A member keeps two chunks resident (the file's first, with Chronicle's index of indexes, and
 * the appender's), so the smallest block sets the log's share of RSS: ~5 MiB at 2 MiB, ~17 at 8.
 */
public final class WalBlockSize {
    /** The smallest block: its records may be 508 KiB; larger ones remap (see the class comment). */
    public static final long MIN_BYTES = 2L << 20;
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
