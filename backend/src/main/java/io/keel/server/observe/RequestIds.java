package io.keel.server.observe;

/**
 * Reads the request id of a normal Raft entry without decoding the whole request: Keel's
 * {@code InternalRequest} is written by protobuf, which puts field 1 ({@code id}, a varint) first.
 *
 * <p>Owner: {@link EntryTraces}. Thread-safety: stateless.
 */
public final class RequestIds {
    /** Field 1, wire type 0 (varint). */
    private static final int ID_TAG = 0x08;

    private RequestIds() {
    }

    /** The request id, or 0 when {@code data} does not start with one. */
    public static long of(byte[] data) {
        if (data == null || data.length < 2 || data[0] != ID_TAG) {
            return 0;
        }
        long value = 0;
        for (int i = 1, shift = 0; i < data.length && shift < 64; i++, shift += 7) {
            byte b = data[i];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        return 0;
    }
}
