package io.keel.storage.snap;

import io.keel.raft.Snapshot;
import io.keel.raft.SnapshotMetadata;
import io.keel.storage.wal.Durability;
import io.keel.storage.wal.WalSyncException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Snapshot files in {@code <data-dir>/member/snap}, named {@code <term>-<index>.snap} in 16 hex
 * digits each, as etcd names them. Every file is written atomically ({@link AtomicFiles}). Other
 * files in the directory (the MVCC database, the hard state) are left alone.
 *
 * <p>Owned by {@code DurableRaftStorage}; not thread-safe.
 */
public final class SnapshotFiles {
    private static final Pattern NAME = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.snap");

    /** A snapshot file's position in the log, parsed from its name. Immutable; thread-safe. */
    public record Name(long term, long index, Path path) {
    }

    private final Path dir;

    public SnapshotFiles(Path dir) {
        this.dir = dir;
    }

    public Path directory() {
        return dir;
    }

    public static String fileName(long term, long index) {
        return String.format("%016x-%016x.snap", term, index);
    }

    /** Writes {@code snap} durably and returns its path. */
    public Path save(Snapshot snap) {
        Path target = dir.resolve(fileName(snap.metadata().term(), snap.metadata().index()));
        AtomicFiles.write(target, SnapshotCodec.encode(snap));
        return target;
    }

    /** Snapshot files present, newest (highest index, then term) first. */
    public List<Name> list() {
        List<Name> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.add(new Name(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16), p));
                }
            });
        } catch (IOException e) {
            throw new SnapshotFormatException("snap: cannot list " + dir + ": " + e);
        }
        out.sort(Comparator.comparingLong(Name::index).thenComparingLong(Name::term).reversed());
        return out;
    }

    /**
     * Reads one snapshot file and checks that its content matches its name.
     *
     * @throws SnapshotFormatException naming the file when it is damaged
     */
    public Snapshot read(Name name) {
        try {
            Snapshot snap = SnapshotCodec.decode(Files.readAllBytes(name.path()));
            if (snap.metadata().term() != name.term() || snap.metadata().index() != name.index()) {
                throw new SnapshotFormatException("content is " + snap.metadata().term() + "/" + snap.metadata().index());
            }
            return snap;
        } catch (IOException | SnapshotFormatException e) {
            throw new SnapshotFormatException("snap: " + name.path() + " is unreadable: " + e.getMessage());
        }
    }

    /**
     * Checks one snapshot file whole (as {@link #read}) but returns only its metadata, without
     * holding its data in memory.
     *
     * @throws SnapshotFormatException naming the file when it is damaged
     */
    public SnapshotMetadata readMetadata(Name name) {
        try (FileChannel ch = FileChannel.open(name.path(), StandardOpenOption.READ)) {
            SnapshotMetadata m = SnapshotCodec.readMetadata(ch);
            if (m.term() != name.term() || m.index() != name.index()) {
                throw new SnapshotFormatException("content is " + m.term() + "/" + m.index());
            }
            return m;
        } catch (IOException | SnapshotFormatException e) {
            throw new SnapshotFormatException("snap: " + name.path() + " is unreadable: " + e.getMessage());
        }
    }

    /** The file a snapshot at this position is saved in (whether or not it exists). */
    public Name nameOf(SnapshotMetadata m) {
        return new Name(m.term(), m.index(), dir.resolve(fileName(m.term(), m.index())));
    }

    /**
     * Deletes all but the {@code keep} newest snapshot files, and our temporary files left by a
     * crash (never another component's, such as the MVCC database's own temporary files).
     */
    public void purge(int keep) {
        List<Name> all = list();
        boolean deleted = false;
        try {
            for (int i = keep; i < all.size(); i++) {
                deleted |= Files.deleteIfExists(all.get(i).path());
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(SnapshotFiles::isOurLeftover).toList()) {
                    deleted |= Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new WalSyncException("snap: cannot delete old snapshots in " + dir, e);
        }
        if (deleted) {
            Durability.forceDirectory(dir);
        }
    }

    private static boolean isOurLeftover(Path p) {
        String name = p.getFileName().toString();
        if (!name.endsWith(AtomicFiles.TEMP_SUFFIX)) {
            return false;
        }
        String target = name.substring(0, name.length() - AtomicFiles.TEMP_SUFFIX.length());
        return NAME.matcher(target).matches() || target.equals(HardStateFile.NAME);
    }
}
