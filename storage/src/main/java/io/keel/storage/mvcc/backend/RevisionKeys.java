package io.keel.storage.mvcc.backend;

import io.keel.storage.mvcc.Revision;

/**
 * The backend key of a stored revision, etcd's layout: 8 bytes main (big-endian), {@code '_'},
 * 8 bytes sub, and a trailing {@code 't'} for a tombstone (17 or 18 bytes). Big-endian keeps
 * LMDB's byte order equal to revision order. Stateless; thread-safe.
 */
public final class RevisionKeys {
    public static final int LENGTH = 17;
    public static final int TOMBSTONE_LENGTH = 18;
    private static final byte SEPARATOR = '_';
    private static final byte TOMBSTONE = 't';

    private RevisionKeys() {
    }

    public static byte[] encode(Revision rev, boolean tombstone) {
        byte[] out = new byte[tombstone ? TOMBSTONE_LENGTH : LENGTH];
        putLong(out, 0, rev.main());
        out[8] = SEPARATOR;
        putLong(out, 9, rev.sub());
        if (tombstone) {
            out[LENGTH] = TOMBSTONE;
        }
        return out;
    }

    /** The smallest backend key at or above {@code main}. */
    public static byte[] lowerBound(long main) {
        return encode(new Revision(main, 0), false);
    }

    public static Revision decode(byte[] key) {
        if (key.length != LENGTH && key.length != TOMBSTONE_LENGTH) {
            throw new IllegalArgumentException("not a revision key: " + key.length + " bytes");
        }
        return new Revision(getLong(key, 0), getLong(key, 9));
    }

    public static boolean isTombstone(byte[] key) {
        return key.length == TOMBSTONE_LENGTH && key[LENGTH] == TOMBSTONE;
    }

    static void putLong(byte[] out, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            out[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long getLong(byte[] in, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (in[at + i] & 0xff);
        }
        return v;
    }

    public static byte[] longBytes(long v) {
        byte[] out = new byte[8];
        putLong(out, 0, v);
        return out;
    }

    public static long bytesLong(byte[] in) {
        return getLong(in, 0);
    }
}
