package io.keel.storage.raftlog;

import io.keel.raft.HardState;
import io.keel.raft.Snapshot;
import io.keel.storage.snap.HardStateFile;
import io.keel.storage.snap.SnapshotFiles;
import io.keel.storage.snap.SnapshotFormatException;
import io.keel.storage.wal.PositionedRecord;
import io.keel.storage.wal.RecordType;
import io.keel.storage.wal.ScanResult;
import io.keel.storage.wal.WalCorruptionException;
import io.keel.storage.wal.WalRecord;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Rebuilds the in-memory state from a recovered log, the snapshot files and the hard-state
 * checkpoint: truncation markers and installed snapshots are honoured in log order, the newest
 * snapshot file that the log references is the base, and the latest hard state wins.
 *
 * <p>Runs once per open, on the opening thread; single use; not thread-safe.
 */
final class LogReplay {
    private static final Logger LOG = Logger.getLogger(LogReplay.class.getName());

    /** What a member restarts from. Owned by the opening thread; not thread-safe (holds mutable index). */
    record Recovered(HardState hardState, Snapshot snapshot, LogIndex index, CycleLedger ledger) {
    }

    private final Path walDir;
    private final LogIndex index = new LogIndex();
    private final CycleLedger ledger = new CycleLedger();
    private final Set<Marker> snapshotMarkers = new HashSet<>();
    private HardState hardState;
    /** False until the first retained entry (older files may have been deleted by compaction). */
    private boolean started;

    private LogReplay(Path walDir, HardState checkpoint) {
        this.walDir = walDir;
        this.hardState = checkpoint;
    }

    static Recovered replay(Path walDir, ScanResult scan, SnapshotFiles snaps, HardStateFile hsFile) {
        LogReplay r = new LogReplay(walDir, hsFile.load());
        for (PositionedRecord p : scan.records()) {
            r.apply(p);
        }
        Snapshot snap = r.chooseSnapshot(snaps);
        r.rebase(snap);
        r.checkCommit();
        return new Recovered(r.hardState, snap, r.index, r.ledger);
    }

    private void apply(PositionedRecord p) {
        WalRecord rec = p.record();
        switch (rec.type()) {
            case ENTRY_NORMAL, ENTRY_CONF_CHANGE -> {
                if (!started) {
                    index.reset(rec.index() - 1, 0);
                    started = true;
                }
                if (rec.index() != index.lastIndex() + 1) {
                    throw new WalCorruptionException("wal: entry " + rec.term() + "/" + rec.index() + " at queue index "
                            + Long.toHexString(p.queueIndex()) + " in " + walDir + " does not follow last index "
                            + index.lastIndex() + "; the member must stop");
                }
                index.append(rec.index(), rec.term(), p.queueIndex(), rec.type() == RecordType.ENTRY_CONF_CHANGE);
                ledger.noteEntry(p.cycle(), rec.index());
            }
            case TRUNCATE -> {
                if (started && rec.index() > index.offset()) {
                    index.truncateFrom(Math.min(rec.index(), index.lastIndex() + 1));
                } else {
                    started = false;
                }
            }
            case SNAPSHOT -> {
                snapshotMarkers.add(markerKey(rec.term(), rec.index()));
                if (rec.replacesLog()) {
                    index.reset(rec.index(), rec.term());
                    started = true;
                }
                ledger.noteSnapshot(p.cycle(), rec.replacesLog());
            }
            case HARD_STATE -> hardState = newer(hardState, rec.toHardState());
            default -> throw new IllegalStateException("unhandled record type " + rec.type());
        }
    }

    /**
     * The later of two saved hard states. Saved states only move forward: the term never falls, the
     * commit never falls, and within a term the vote is only ever set once, so (term, commit,
     * voted) orders them.
     */
    static HardState newer(HardState a, HardState b) {
        int c = Long.compare(a.term(), b.term());
        if (c == 0) {
            c = Long.compare(a.commit(), b.commit());
        }
        if (c == 0) {
            c = Boolean.compare(a.vote() != 0, b.vote() != 0);
        }
        return c >= 0 ? a : b;
    }

    /** The newest intact snapshot file that the log has a marker for; a file without one was never committed to. */
    private Snapshot chooseSnapshot(SnapshotFiles snaps) {
        for (SnapshotFiles.Name name : snaps.list()) {
            if (!snapshotMarkers.contains(markerKey(name.term(), name.index()))) {
                LOG.warning("snap: ignoring " + name.path() + ": the log has no record of it (crash while saving)");
                continue;
            }
            try {
                // Metadata only: the data (as large as the store) is read when asked for.
                return new Snapshot(snaps.readMetadata(name), new byte[0]);
            } catch (SnapshotFormatException e) {
                LOG.severe(e.getMessage() + "; trying an older snapshot");
            }
        }
        return Snapshot.EMPTY;
    }

    /** Makes the snapshot the base of the log: entries it covers are dropped, a gap after it is fatal. */
    private void rebase(Snapshot snap) {
        long si = snap.metadata().index();
        long st = snap.metadata().term();
        if (!started || si > index.lastIndex()) {
            if (started && index.offset() > si) {
                throw gap(si);
            }
            index.reset(si, st);
            return;
        }
        if (index.offset() > si) {
            throw gap(si);
        }
        if (si > index.offset() && index.term(si) != st) {
            throw new WalCorruptionException("wal: entry " + si + " in " + walDir + " has term " + index.term(si)
                    + " but the snapshot at that index has term " + st + "; the member must stop");
        }
        if (si > index.offset()) {
            index.compactTo(si);
        }
        index.pinOffsetTerm(st);
    }

    private WalCorruptionException gap(long snapshotIndex) {
        return new WalCorruptionException("wal: the log in " + walDir + " starts after index " + index.offset()
                + " but the newest usable snapshot is at index " + snapshotIndex
                + ": entries in between are missing; the member must stop");
    }

    private void checkCommit() {
        if (hardState.commit() > index.lastIndex()) {
            throw new WalCorruptionException("wal: the log in " + walDir + " ends at index " + index.lastIndex()
                    + " but index " + hardState.commit() + " was committed: acknowledged entries are lost;"
                    + " the member must stop");
        }
    }

    private static Marker markerKey(long term, long index) {
        return new Marker(term, index);
    }

    private record Marker(long term, long index) {
    }
}
