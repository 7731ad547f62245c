package io.keel.backend.grpc;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import com.google.protobuf.WireFormat;
import io.keel.api.etcdserverpb.WatchResponse;
import io.keel.api.mvccpb.Event;
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
    private static final int CACHED = 16;
    private static final int EVENTS_FIELD = WatchResponse.EVENTS_FIELD_NUMBER;

    private final Object[] keys = new Object[CACHED];
    private final byte[][] encoded = new byte[CACHED][];
    private int next;

    /** The serialized response, as {@code r.toByteArray()}. */
    public byte[] encode(WatchResponse r) {
        if (r.getEventsCount() == 0) {
            return r.toByteArray(); // control responses: rare and small
        }
        List<Event> events = r.getEventsList();
        byte[][] parts = new byte[events.size()][];
        byte[] header = r.hasHeader() ? bytesOf(r.getHeader()) : null;
        int size = 0;
        if (header != null) {
            size += lengthDelimitedSize(WatchResponse.HEADER_FIELD_NUMBER, header.length);
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
        if (!r.getCancelReason().isEmpty()) {
            size += CodedOutputStream.computeStringSize(WatchResponse.CANCEL_REASON_FIELD_NUMBER, r.getCancelReason());
        }
        if (r.getFragment()) {
            size += CodedOutputStream.computeBoolSize(WatchResponse.FRAGMENT_FIELD_NUMBER, true);
        }
        for (int i = 0; i < parts.length; i++) {
            parts[i] = bytesOf(events.get(i));
            size += lengthDelimitedSize(EVENTS_FIELD, parts[i].length);
        }
        byte[] out = new byte[size];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            if (header != null) {
                writeLengthDelimited(o, WatchResponse.HEADER_FIELD_NUMBER, header);
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
            if (!r.getCancelReason().isEmpty()) {
                o.writeString(WatchResponse.CANCEL_REASON_FIELD_NUMBER, r.getCancelReason());
            }
            if (r.getFragment()) {
                o.writeBool(WatchResponse.FRAGMENT_FIELD_NUMBER, true);
            }
            for (byte[] part : parts) {
                writeLengthDelimited(o, EVENTS_FIELD, part);
            }
            o.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("watch response size mismatch", e);
        }
        return out;
    }

    /** The message's bytes, encoded once while it stays among the last {@link #CACHED} seen. */
    private byte[] bytesOf(MessageLite m) {
        for (int i = 0; i < CACHED; i++) {
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
