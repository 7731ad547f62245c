package io.keel.storage.raftlog;

import io.keel.raft.Entry;
import io.keel.raft.EntryType;
import net.openhft.chronicle.core.time.SetTimeProvider;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Shared helpers for the raft-log tests: configs with a settable clock, deterministic entries. Thread-safe. */
final class TestLogs {
    private TestLogs() {
    }

    /** A clock at a fixed instant, so cycle files are named the same on every run. */
    static SetTimeProvider clock() {
        return new SetTimeProvider(Instant.parse("2026-01-01T00:00:00Z"));
    }

    static RaftLogConfig config(Path dataDir, SetTimeProvider clock) {
        return RaftLogConfig.defaults(dataDir).withClock(clock);
    }

    /** The payload every test writes for (term, index): checkable after any crash. */
    static byte[] payload(long term, long index) {
        int len = (int) ((index * 7 + term) % 97);
        StringBuilder sb = new StringBuilder("e" + term + "/" + index + ":");
        while (sb.length() < len) {
            sb.append((char) ('a' + (index + sb.length()) % 26));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Entry entry(long term, long index) {
        return new Entry(term, index, index % 11 == 0 ? EntryType.CONF_CHANGE : EntryType.NORMAL, payload(term, index));
    }

    static List<Entry> entries(long term, long from, long toInclusive) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= toInclusive; i++) {
            out.add(entry(term, i));
        }
        return out;
    }
}
