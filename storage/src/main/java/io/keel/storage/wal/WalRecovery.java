package io.keel.storage.wal;

import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Brings the queue directory to a clean state after any stop (clean, kill -9, power loss).
 *
 * <p>Chronicle cannot delete or overwrite records, so a damaged tail is cut by rewriting the valid
 * prefix into a fresh queue ({@code wal.repair}), moving the damaged queue aside to
 * {@code wal.broken} for inspection, and renaming the fresh one into place, each step made
 * durable. A crash at any step is finished or undone by the next recovery.
 *
 * <p>Runs once per open, on the opening thread; stateless; thread-safe.
 */
public final class WalRecovery {
    private static final Logger LOG = Logger.getLogger(WalRecovery.class.getName());

    private WalRecovery() {
    }

    /** Recovers {@code walDir} and returns its valid records (entries without their data), the tail now clean. */
    public static ScanResult recover(Path walDir, RollCycle rollCycle, TimeProvider clock) {
        Path repair = sibling(walDir, ".repair");
        Path broken = sibling(walDir, ".broken");
        try {
            finishInterruptedRepair(walDir, repair, broken);
            if (!Files.isDirectory(walDir)) {
                return new ScanResult(List.of(), new TreeMap<>(), TailState.CLEAN, "");
            }
            // Recovery needs each entry's term and index, not its data: the data stays in the queue.
            ScanResult scan = WalScanner.scan(walDir, rollCycle, clock, false);
            if (scan.tail() == TailState.CLEAN) {
                return scan;
            }
            // The repair copies every valid record, data included: read them again with it.
            scan = WalScanner.scan(walDir, rollCycle, clock, true);
            LOG.warning("wal: cutting the damaged tail of " + walDir + " after " + scan.records().size()
                    + " valid records: " + scan.tailDetail());
            rewrite(scan.records(), repair, rollCycle, clock);
            deleteTree(broken);
            Files.move(walDir, broken, StandardCopyOption.ATOMIC_MOVE);
            Durability.forceDirectory(walDir.getParent());
            Files.move(repair, walDir, StandardCopyOption.ATOMIC_MOVE);
            Durability.forceDirectory(walDir.getParent());
            ScanResult again = WalScanner.scan(walDir, rollCycle, clock, false);
            if (again.tail() != TailState.CLEAN || again.records().size() != scan.records().size()) {
                throw new WalCorruptionException("wal: repair of " + walDir + " did not produce a clean log: "
                        + again.tailDetail());
            }
            return again;
        } catch (IOException e) {
            throw new WalCorruptionException("wal: recovery of " + walDir + " failed: " + e);
        }
    }

    private static void finishInterruptedRepair(Path walDir, Path repair, Path broken) throws IOException {
        if (Files.isDirectory(repair) && !Files.exists(walDir) && Files.isDirectory(broken)) {
            // Crashed between the two renames: the repaired copy is complete and durable.
            Files.move(repair, walDir, StandardCopyOption.ATOMIC_MOVE);
            Durability.forceDirectory(walDir.getParent());
        } else if (Files.exists(repair)) {
            // Crashed while writing the copy: the original is untouched; start over.
            deleteTree(repair);
        }
    }

    private static void rewrite(List<PositionedRecord> records, Path repair, RollCycle rollCycle, TimeProvider clock) {
        try (ChronicleLog copy = ChronicleLog.open(repair, rollCycle, clock, new TreeMap<>())) {
            for (PositionedRecord r : records) {
                copy.append(r.record());
            }
            copy.sync();
        }
        Durability.forceDirectory(repair);
    }

    private static Path sibling(Path dir, String suffix) {
        return dir.resolveSibling(dir.getFileName() + suffix);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
