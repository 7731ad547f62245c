package io.keel.storage.wal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper: where each record of a closed queue lies in its cycle file, and byte surgery on them. Thread-safe. */
public final class QueueFiles {
    /** One Chronicle document: its file and the byte range of its body. */
    public record Doc(Path file, long start, long end, WalRecord record) {
    }

    private QueueFiles() {
    }

    /** Every document of the (closed) queue in {@code walDir}, decoded when intact (record null otherwise). */
    public static List<Doc> docs(Path walDir, TimeProvider clock) {
        List<Doc> out = new ArrayList<>();
        try (SingleChronicleQueue q = ChronicleLog.openQueue(walDir, RollCycles.TEN_MINUTELY, clock, WalBlockSize.MAX_BYTES);
             ExcerptTailer t = q.createTailer().toStart()) {
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    long start = b.readPosition();
                    long end = b.readLimit();
                    byte[] raw = new byte[(int) b.readRemaining()];
                    b.read(raw);
                    WalRecord rec;
                    try {
                        rec = RecordCodec.decode(raw);
                    } catch (CorruptRecordException e) {
                        rec = null;
                    }
                    out.add(new Doc(t.currentFile().toPath(), start, end, rec));
                }
            }
        }
        return out;
    }

    /** Inverts one byte of a file. */
    public static void flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(~b & 0xff);
        }
    }

    /** Cuts a file at {@code length} bytes, as lost unsynced pages would leave it. */
    public static void cut(Path file, long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
    }
}
