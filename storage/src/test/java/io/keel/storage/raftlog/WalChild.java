package io.keel.storage.raftlog;

import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.HardState;
import io.keel.storage.wal.RecordCodec;
import io.keel.storage.wal.WalRecord;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The child process of the crash and lock tests. Modes:
 * <ul>
 *   <li>{@code hold <dataDir>}: opens the storage, prints {@code OPEN}, holds it until stdin closes.</li>
 *   <li>{@code tear <dataDir>}: appends entries 1..10 durably, then starts an eleventh record in the
 *   queue itself, writes half of it, prints {@code INSIDE} and waits to be killed mid-record.</li>
 *   <li>{@code append <dataDir> <seed> <clockMillis>}: recovers, prints {@code RECOVERED}, then appends
 *   batches forever (with conflicts above the commit index, snapshots and compactions), printing
 *   {@code WRITE first last term commit clockMillis} before each batch and
 *   {@code ACK first last term commit clockMillis} after its durability barrier.</li>
 * </ul>
 * Single-threaded.
 */
public final class WalChild {
    /** Clock step per batch: 30 batches per ten-minute cycle file. */
    static final long CLOCK_STEP_MILLIS = 20_000;

    private WalChild() {
    }

    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        Path dataDir = Path.of(args[1]);
        if (args[0].equals("hold")) {
            try (DurableRaftStorage s = DurableRaftStorage.open(RaftLogConfig.defaults(dataDir))) {
                out.println("OPEN " + s.lastIndex());
                out.flush();
                while (System.in.read() >= 0) {
                    // hold the data directory until the test closes our stdin
                }
            }
            return;
        }
        if (args[0].equals("tear")) {
            tear(out, dataDir);
            return;
        }
        long seed = Long.parseLong(args[2]);
        SetTimeProvider clock = new SetTimeProvider(0);
        clock.currentTimeMillis(Long.parseLong(args[3]));
        append(out, dataDir, new Random(seed), clock);
    }

    private static void tear(PrintStream out, Path dataDir) throws IOException {
        RaftLogConfig config = RaftLogConfig.defaults(dataDir);
        try (DurableRaftStorage s = DurableRaftStorage.open(config)) {
            s.save(new HardState(1, 1, 10), TestLogs.entries(1, 1, 10), true);
        }
        byte[] next = RecordCodec.encode(WalRecord.ofEntry(TestLogs.entry(1, 11)));
        try (SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(config.walDir()).rollCycle(config.roll()).build();
             ExcerptAppender appender = q.createAppender();
             DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(next, 0, next.length / 2);
            out.println("INSIDE");
            out.flush();
            while (System.in.read() >= 0) {
                // wait inside the record for SIGKILL
            }
        }
    }

    private static void append(PrintStream out, Path dataDir, Random rnd, SetTimeProvider clock) {
        try (DurableRaftStorage s = DurableRaftStorage.open(RaftLogConfig.defaults(dataDir).withClock(clock)
                .withEntryCache(64, 1 << 20))) {
            HardState hs = s.hardState();
            long term = Math.max(1, Math.max(hs.term(), s.lastIndex() == 0 ? 0 : s.term(s.lastIndex())));
            out.println("RECOVERED " + s.lastIndex() + " " + hs.commit());
            out.flush();
            for (int batch = 0; ; batch++) {
                long last = s.lastIndex();
                long first = last + 1;
                if (rnd.nextInt(8) == 0 && last > hs.commit()) {
                    first = hs.commit() + 1 + rnd.nextInt((int) (last - hs.commit()));
                    term++;
                }
                int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 4 : 48);
                List<Entry> ents = TestLogs.entries(term, first, first + n - 1);
                long newLast = first + n - 1;
                long commit = Math.max(hs.commit(), newLast - rnd.nextInt(4));
                hs = new HardState(term, 1, commit);
                // Announced first: if the kill lands after the barrier but before the ACK, the
                // parent knows which unacknowledged batch recovery may also show.
                out.println("WRITE " + first + " " + newLast + " " + term + " " + commit + " " + clock.currentTimeMillis());
                out.flush();
                s.save(hs, ents, true);
                out.println("ACK " + first + " " + newLast + " " + term + " " + commit + " " + clock.currentTimeMillis());
                out.flush();
                if (batch % 10 == 9 && commit > s.snapshot().metadata().index() && commit >= s.firstIndex()) {
                    s.createSnapshot(commit, ConfState.ofVoters(1L), ("snap@" + commit).getBytes());
                    if (commit - 20 > s.firstIndex()) {
                        s.compact(commit - 20);
                    }
                }
                clock.advanceMillis(CLOCK_STEP_MILLIS);
            }
        }
    }
}
