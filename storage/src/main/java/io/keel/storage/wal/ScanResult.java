package io.keel.storage.wal;

import java.nio.file.Path;
import java.util.List;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a recovery scan read: every valid record in order, the file of each cycle, and whether
 * the tail needs a repair. Immutable value; thread-safe.
 *
 * @param records    valid records in queue order
 * @param cycleFiles the file of every cycle that holds a valid record, ascending
 * @param tail       whether the end of the log is clean
 * @param tailDetail why the tail is damaged ("" when clean), for the recovery log line
 */
public record ScanResult(List<PositionedRecord> records, SortedMap<Integer, Path> cycleFiles, TailState tail,
                         String tailDetail) {
    public ScanResult {
        records = List.copyOf(records);
        cycleFiles = Collections.unmodifiableSortedMap(new TreeMap<>(cycleFiles));
    }
}
