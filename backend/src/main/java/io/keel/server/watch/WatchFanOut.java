package io.keel.server.watch;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import com.google.protobuf.WireFormat;
import io.keel.api.etcdserverpb.ResponseHeader;
import io.keel.api.etcdserverpb.WatchResponse;
import io.keel.api.mvccpb.Event;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One revision's single event for several watchers of one stream, in the order the hub would
 * have offered their responses. It stands for one {@link WatchResponse} per watcher (the
 * revision's header, the watcher's id, the event, with prev_kv if that watcher asked for it;
 * never fragmented: one event), exactly as {@link #response} builds it, but holds the header and
 * the event once, with their protobuf field bytes encoded once per revision for all the streams.
 * A gRPC stream frames the watchers' messages straight from those bytes, writing only each
 * watcher's id, so a put seen by 1,000 watchers builds no response object per watcher.
 *
 * <p>Made by the hub's dispatcher thread and never changed after it is offered; thread-safe to
 * read from the stream's event loop.
 */
public final class WatchFanOut {
    private final Shared shared;
    private final long[] ids;
    /** Per watcher, whether it gets the event with prev_kv; null when none of them does. */
    private final boolean[] withPrev;

    /**
     * One revision's header and event, built and encoded once for all its fan-outs. Each field's
     * bytes are the whole protobuf field of a WatchResponse (tag, length, message), so a
     * watcher's response is {@code header field, watch id field, event field}: fields in
     * field-number order, as protobuf writes them.
     */
    record Shared(ResponseHeader header, byte[] headerField, Event plain, byte[] plainField, Event prev,
                  byte[] prevField) {
    }

    WatchFanOut(Shared shared, long[] ids, boolean[] withPrev) {
        this.shared = shared;
        this.ids = ids;
        this.withPrev = withPrev;
    }

    /**
     * A fan-out of {@code header} and one event to the watchers {@code ids}: watcher {@code i}
     * gets {@code prev} (the event with prev_kv) if {@code withPrev[i]}, else {@code plain}.
     * {@code withPrev} may be null (nobody gets prev); an event nobody gets may be null.
     */
    public static WatchFanOut of(ResponseHeader header, Event plain, Event prev, long[] ids, boolean[] withPrev) {
        return new WatchFanOut(share(header, plain, prev), ids.clone(), withPrev == null ? null : withPrev.clone());
    }

    /** Builds a revision's shared part: encodes the header and the events given (once). */
    static Shared share(ResponseHeader header, Event plain, Event prev) {
        return new Shared(header, field(WatchResponse.HEADER_FIELD_NUMBER, header),
                plain, plain == null ? null : field(WatchResponse.EVENTS_FIELD_NUMBER, plain),
                prev, prev == null ? null : field(WatchResponse.EVENTS_FIELD_NUMBER, prev));
    }

    /** A length-delimited field's whole bytes: tag, length, message. */
    private static byte[] field(int number, MessageLite m) {
        int size = m.getSerializedSize();
        byte[] out = new byte[CodedOutputStream.computeTagSize(number) + CodedOutputStream.computeUInt32SizeNoTag(size)
                + size];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            o.writeTag(number, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            o.writeUInt32NoTag(size);
            m.writeTo(o);
        } catch (IOException ex) {
            throw new UncheckedIOException("watch response field size mismatch", ex);
        }
        o.checkNoSpaceLeft();
        return out;
    }

    /** How many watchers (responses) this stands for. */
    public int size() {
        return ids.length;
    }

    public long watchId(int i) {
        return ids[i];
    }

    /** The {@code i}-th watcher's response, as the hub would otherwise have built it. */
    public WatchResponse response(int i) {
        return WatchResponse.newBuilder().setHeader(shared.header()).setWatchId(ids[i]).addEvents(event(i)).build();
    }

    /** The event the {@code i}-th watcher gets. */
    public Event event(int i) {
        return prev(i) ? shared.prev() : shared.plain();
    }

    /** The response header's field bytes (tag, length, message); the same for every watcher. */
    public byte[] headerField() {
        return shared.headerField();
    }

    /** The {@code i}-th watcher's event field bytes (tag, length, message). */
    public byte[] eventField(int i) {
        return prev(i) ? shared.prevField() : shared.plainField();
    }

    private boolean prev(int i) {
        return withPrev != null && withPrev[i];
    }
}
