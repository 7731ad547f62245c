package io.keel.storage.raftlog;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Configuration of the durable Raft log. Immutable; thread-safe.
 *
 * @param dataDir             etcd's {@code --data-dir}; the log lives in {@code member/wal}, snapshots
 *                            and the hard state in {@code member/snap}
 * @param rollCycle           Chronicle roll cycle name (one file per cycle); compaction deletes whole
 *                            files, so shorter cycles free disk sooner at the cost of more files
 * @param entryCacheMaxEntries bound on the recent entries kept in memory for Raft's reads
 * @param entryCacheMaxBytes  bound on their payload bytes
 * @param maxSnapshotFiles    snapshot files kept (etcd's {@code --max-snapshots}, default 5)
 * @param clock               Chronicle's clock, which decides the cycle files; tests inject a settable one
 */
public record RaftLogConfig(Path dataDir, String rollCycle, int entryCacheMaxEntries, long entryCacheMaxBytes,
                            int maxSnapshotFiles, TimeProvider clock) {

    /** Ten-minute files: a busy member writes a few hundred MB per file at most, a quiet one few files a day. */
    public static final String DEFAULT_ROLL_CYCLE = "TEN_MINUTELY";

    public static RaftLogConfig defaults(Path dataDir) {
        return new RaftLogConfig(dataDir, DEFAULT_ROLL_CYCLE, 10_000, 64L << 20, 5, SystemTimeProvider.INSTANCE);
    }

    public RaftLogConfig withClock(TimeProvider newClock) {
        return new RaftLogConfig(dataDir, rollCycle, entryCacheMaxEntries, entryCacheMaxBytes, maxSnapshotFiles, newClock);
    }

    public RaftLogConfig withEntryCache(int maxEntries, long maxBytes) {
        return new RaftLogConfig(dataDir, rollCycle, maxEntries, maxBytes, maxSnapshotFiles, clock);
    }

    /** @throws IllegalArgumentException naming the first bad field */
    public RaftLogConfig validate() {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
        roll();
        if (entryCacheMaxEntries < 1) {
            throw new IllegalArgumentException("entryCacheMaxEntries must be >= 1: " + entryCacheMaxEntries);
        }
        if (entryCacheMaxBytes < 1) {
            throw new IllegalArgumentException("entryCacheMaxBytes must be >= 1: " + entryCacheMaxBytes);
        }
        if (maxSnapshotFiles < 1) {
            throw new IllegalArgumentException("maxSnapshotFiles must be >= 1: " + maxSnapshotFiles);
        }
        return this;
    }

    public RollCycle roll() {
        try {
            return RollCycles.valueOf(Objects.requireNonNull(rollCycle, "rollCycle"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown Chronicle roll cycle: " + rollCycle, e);
        }
    }

    public Path memberDir() {
        return dataDir.resolve("member");
    }

    public Path walDir() {
        return memberDir().resolve("wal");
    }

    public Path snapDir() {
        return memberDir().resolve("snap");
    }
}
