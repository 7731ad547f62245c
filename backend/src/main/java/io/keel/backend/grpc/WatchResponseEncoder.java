package io.keel.backend.grpc;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import com.google.protobuf.WireFormat;
import io.keel.api.etcdserverpb.WatchResponse;
import io.keel.api.mvccpb.Event;
import io.keel.server.watch.WatchFanOut;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Serializes one watch stream's event responses, encoding each event (and each header) once for
 * all the watchers of the stream. The hub hands every watcher of a revision the same
 * {@link Event} and header objects, so when 100 watchers of a stream see one put, protobuf used to
 * re-encode the same key-value 100 times; here the event's bytes are cached by identity and only
 * the few bytes that differ per watcher (its id, the fragment flag) are written around them. The
 * output is byte-for-byte what {@link WatchResponse#toByteArray()} gives (fields in field-number
 * order, defaults left out), which {@code WatchResponseEncoderTest} checks.
 *
 * <p>Owned by one {@link GrpcWatchStream}; confined to its event loop (not thread-safe).
 */
public final class WatchResponseEncoder {
    /** Events and headers remembered; one revision's events go to many watchers one after another. */
    private static final int CACHED = 32;
    private static final int EVENTS_FIELD = WatchResponse.EVENTS_FIELD_NUMBER;

    /** gRPC's message prefix: a compressed flag and a 4-byte length. */
    static final int PREFIX_BYTES = 5;

    private final Object[] keys = new Object[CACHED];
    /** Per-response sizes of the last {@link #frames} call (reused: the encoder is confined). */
    private int[] sizes = new int[64];
    private final byte[][] encoded = new byte[CACHED][];
    private int next;
    /** The last plain response's header and event, and their fields' bytes (see {@link #isPlain}). */
    private MessageLite plainHeaderOf;
    private MessageLite plainEventOf;
    private byte[] plainHeader;
    private byte[] plainEvent;

    /** The serialized response, as {@code r.toByteArray()}. */
    public byte[] encode(WatchResponse r) {
        byte[] out = new byte[sizeOf(r)];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        writeBody(o, r);
        check(o);
        return out;
    }

    /**
     * {@code rs} as consecutive gRPC messages (each a 5-byte prefix: not compressed, big-endian
     * length; then the message as {@link #encode}), so that a stream writes everything it has
     * queued with one HTTP/2 write instead of one per watcher.
     */
    public byte[] frames(List<WatchResponse> rs) {
        int n = rs.size();
        if (sizes.length < n) {
            sizes = new int[Math.max(n, sizes.length * 2)];
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            sizes[i] = sizeOf(rs.get(i));
            total += PREFIX_BYTES + sizes[i];
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("watch responses too large for one write: " + total + " bytes");
        }
        byte[] out = new byte[(int) total];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            for (int i = 0; i < n; i++) {
                int size = sizes[i];
                o.writeRawByte((byte) 0); // not compressed
                o.writeRawByte((byte) (size >>> 24));
                o.writeRawByte((byte) (size >>> 16));
                o.writeRawByte((byte) (size >>> 8));
                o.writeRawByte((byte) size);
                writeBody(o, rs.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("watch response size mismatch", e);
        }
        check(o);
        return out;
    }

    // --- one write's messages, gathered piece by piece (see GrpcWatchStream.writeBatch) --------

    /**
     * The pieces of the write being gathered: a WatchResponse (from: its size), or a WatchFanOut
     * with its range of watchers.
     */
    private Object[] pieces = new Object[16];
    private int[] pieceFrom = new int[16];
    private int[] pieceTo = new int[16];
    private int pieceCount;
    private long gathered;

    /** Adds {@code r} to the write being gathered; returns its bytes (prefix included). */
    public int add(WatchResponse r) {
        int size = sizeOf(r);
        addPiece(r, size, 0, PREFIX_BYTES + size); // a response's "from" is its size
        return PREFIX_BYTES + size;
    }

    /**
     * Adds the messages of the watchers {@code [from, to)} of {@code f} to the write being
     * gathered: each the shared header field, the watcher's id, and its event field.
     */
    public void add(WatchFanOut f, int from, int to) {
        long size = 0;
        for (int i = from; i < to; i++) {
            size += fanOutSize(f, i);
        }
        addPiece(f, from, to, size);
    }

    /** The {@code i}-th watcher's message of {@code f}, prefix included. */
    public static int fanOutSize(WatchFanOut f, int i) {
        return PREFIX_BYTES + f.headerField().length + watchIdSize(f.watchId(i)) + f.eventField(i).length;
    }

    private void addPiece(Object piece, int from, int to, long size) {
        if (pieceCount == pieces.length) {
            int n = pieceCount * 2;
            pieces = java.util.Arrays.copyOf(pieces, n);
            pieceFrom = java.util.Arrays.copyOf(pieceFrom, n);
            pieceTo = java.util.Arrays.copyOf(pieceTo, n);
        }
        pieces[pieceCount] = piece;
        pieceFrom[pieceCount] = from;
        pieceTo[pieceCount] = to;
        pieceCount++;
        gathered += size;
    }

    /**
     * The gathered messages as consecutive gRPC messages (as {@link #frames}), in the order added;
     * starts a new gathering.
     */
    public byte[] takeFrames() {
        if (gathered > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("watch responses too large for one write: " + gathered + " bytes");
        }
        byte[] out = new byte[(int) gathered];
        int at = 0;
        try {
            for (int p = 0; p < pieceCount; p++) {
                Object piece = pieces[p];
                if (piece instanceof WatchFanOut f) {
                    at = writeFanOut(out, at, f, pieceFrom[p], pieceTo[p]);
                } else {
                    WatchResponse r = (WatchResponse) piece;
                    int size = pieceFrom[p];
                    at = writePrefix(out, at, size);
                    CodedOutputStream o = CodedOutputStream.newInstance(out, at, size);
                    writeBody(o, r);
                    check(o);
                    at += size;
                }
                pieces[p] = null;
            }
        } finally {
            pieceCount = 0;
            gathered = 0;
        }
        if (at != out.length) {
            throw new IllegalStateException("watch response size mismatch");
        }
        return out;
    }

    /** Writes the watchers {@code [from, to)} of {@code f} at {@code at}; returns the end. */
    private static int writeFanOut(byte[] out, int at, WatchFanOut f, int from, int to) {
        byte[] header = f.headerField();
        for (int i = from; i < to; i++) {
            long id = f.watchId(i);
            byte[] event = f.eventField(i);
            at = writePrefix(out, at, header.length + watchIdSize(id) + event.length);
            System.arraycopy(header, 0, out, at, header.length);
            at += header.length;
            if (id != 0) {
                out[at++] = (byte) WATCH_ID_TAG;
                at = writeVarint(out, at, id);
            }
            System.arraycopy(event, 0, out, at, event.length);
            at += event.length;
        }
        return at;
    }

    private static final int WATCH_ID_TAG =
            WatchResponse.WATCH_ID_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_VARINT;

    /** gRPC's prefix: not compressed, then the big-endian length. */
    private static int writePrefix(byte[] out, int at, int size) {
        out[at] = 0;
        out[at + 1] = (byte) (size >>> 24);
        out[at + 2] = (byte) (size >>> 16);
        out[at + 3] = (byte) (size >>> 8);
        out[at + 4] = (byte) size;
        return at + PREFIX_BYTES;
    }

    /** Protobuf's varint of an int64 (a negative one takes ten bytes). */
    private static int writeVarint(byte[] out, int at, long v) {
        while ((v & ~0x7FL) != 0) {
            out[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[at++] = (byte) v;
        return at;
    }

    /** The response's serialized size; an event response's events and header are encoded (once) here. */
    private int sizeOf(WatchResponse r) {
        if (r.getEventsCount() == 0) {
            return r.getSerializedSize(); // control responses: rare and small
        }
        if (isPlain(r)) {
            preparePlain(r.getHeader(), r.getEvents(0));
            return plainHeader.length + watchIdSize(r.getWatchId()) + plainEvent.length;
        }
        int size = 0;
        if (r.hasHeader()) {
            size += lengthDelimitedSize(WatchResponse.HEADER_FIELD_NUMBER, bytesOf(r.getHeader()).length);
        }
        if (r.getWatchId() != 0) {
            size += CodedOutputStream.computeInt64Size(WatchResponse.WATCH_ID_FIELD_NUMBER, r.getWatchId());
        }
        if (r.getCreated()) {
            size += CodedOutputStream.computeBoolSize(WatchResponse.CREATED_FIELD_NUMBER, true);
        }
        if (r.getCanceled()) {
            size += CodedOutputStream.computeBoolSize(WatchResponse.CANCELED_FIELD_NUMBER, true);
        }
        if (r.getCompactRevision() != 0) {
            size += CodedOutputStream.computeInt64Size(WatchResponse.COMPACT_REVISION_FIELD_NUMBER,
                    r.getCompactRevision());
        }
        if (!r.getCancelReasonBytes().isEmpty()) {
            size += CodedOutputStream.computeStringSize(WatchResponse.CANCEL_REASON_FIELD_NUMBER, r.getCancelReason());
        }
        if (r.getFragment()) {
            size += CodedOutputStream.computeBoolSize(WatchResponse.FRAGMENT_FIELD_NUMBER, true);
        }
        List<Event> events = r.getEventsList();
        for (int i = 0; i < events.size(); i++) {
            size += lengthDelimitedSize(EVENTS_FIELD, bytesOf(events.get(i)).length);
        }
        return size;
    }

    /** Writes the response in field-number order, cached bytes for its events and header. */
    private void writeBody(CodedOutputStream o, WatchResponse r) {
        try {
            if (r.getEventsCount() == 0) {
                r.writeTo(o);
                return;
            }
            if (isPlain(r)) {
                preparePlain(r.getHeader(), r.getEvents(0));
                o.writeRawBytes(plainHeader);
                if (r.getWatchId() != 0) {
                    o.writeInt64(WatchResponse.WATCH_ID_FIELD_NUMBER, r.getWatchId());
                }
                o.writeRawBytes(plainEvent);
                return;
            }
            if (r.hasHeader()) {
                writeLengthDelimited(o, WatchResponse.HEADER_FIELD_NUMBER, bytesOf(r.getHeader()));
            }
            if (r.getWatchId() != 0) {
                o.writeInt64(WatchResponse.WATCH_ID_FIELD_NUMBER, r.getWatchId());
            }
            if (r.getCreated()) {
                o.writeBool(WatchResponse.CREATED_FIELD_NUMBER, true);
            }
            if (r.getCanceled()) {
                o.writeBool(WatchResponse.CANCELED_FIELD_NUMBER, true);
            }
            if (r.getCompactRevision() != 0) {
                o.writeInt64(WatchResponse.COMPACT_REVISION_FIELD_NUMBER, r.getCompactRevision());
            }
            if (!r.getCancelReasonBytes().isEmpty()) {
                o.writeString(WatchResponse.CANCEL_REASON_FIELD_NUMBER, r.getCancelReason());
            }
            if (r.getFragment()) {
                o.writeBool(WatchResponse.FRAGMENT_FIELD_NUMBER, true);
            }
            List<Event> events = r.getEventsList();
            for (int i = 0; i < events.size(); i++) {
                writeLengthDelimited(o, EVENTS_FIELD, bytesOf(events.get(i)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("watch response size mismatch", e);
        }
    }

    /**
     * The fan-out case: a header, a watch id and one event, nothing else. Then the response is the
     * header's field, the id, and the event's field; the two fields' bytes (tag, length, message)
     * are kept for the last header and event seen, so the watchers of one revision after the first
     * cost two copies and a varint each.
     */
    private static boolean isPlain(WatchResponse r) {
        return r.getEventsCount() == 1 && r.hasHeader() && !r.getCreated() && !r.getCanceled()
                && r.getCompactRevision() == 0 && !r.getFragment() && r.getCancelReasonBytes().isEmpty();
    }

    private void preparePlain(MessageLite header, MessageLite event) {
        if (header != plainHeaderOf) {
            plainHeader = field(WatchResponse.HEADER_FIELD_NUMBER, bytesOf(header));
            plainHeaderOf = header;
        }
        if (event != plainEventOf) {
            plainEvent = field(EVENTS_FIELD, bytesOf(event));
            plainEventOf = event;
        }
    }

    private static byte[] field(int number, byte[] message) {
        byte[] out = new byte[lengthDelimitedSize(number, message.length)];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            writeLengthDelimited(o, number, message);
        } catch (IOException e) {
            throw new UncheckedIOException("watch response size mismatch", e);
        }
        check(o);
        return out;
    }

    private static int watchIdSize(long watchId) {
        return watchId == 0 ? 0 : CodedOutputStream.computeInt64Size(WatchResponse.WATCH_ID_FIELD_NUMBER, watchId);
    }

    private static void check(CodedOutputStream o) {
        try {
            o.checkNoSpaceLeft();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("watch response size mismatch", e);
        }
    }

    /** The message's bytes, encoded once while it stays among the last {@link #CACHED} seen. */
    private byte[] bytesOf(MessageLite m) {
        // Newest first: the watchers of one revision ask for the same event one after another.
        for (int k = 1, i = next; k <= CACHED; k++) {
            i = i == 0 ? CACHED - 1 : i - 1;
            if (keys[i] == m) {
                return encoded[i];
            }
        }
        byte[] b = m.toByteArray();
        keys[next] = m;
        encoded[next] = b;
        next = (next + 1) % CACHED;
        return b;
    }

    private static int lengthDelimitedSize(int field, int length) {
        return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
    }

    private static void writeLengthDelimited(CodedOutputStream o, int field, byte[] bytes) throws IOException {
        o.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        o.writeUInt32NoTag(bytes.length);
        o.writeRawBytes(bytes);
    }
}
