package io.keel.storage.mvcc.backend;

import io.keel.storage.mvcc.KeyValue;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Encodes a {@link KeyValue} exactly as etcd stores it: the protobuf wire form of
 * {@code mvccpb.KeyValue} (key=1, create_revision=2, mod_revision=3, version=4, value=5,
 * lease=6; zero fields omitted). Byte-equal values make HashKV comparable with etcd's.
 * Stateless; thread-safe.
 */
public final class KeyValueCodec {
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_BYTES = 2;

    private KeyValueCodec() {
    }

    public static byte[] encode(KeyValue kv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(kv.key().length + kv.value().length + 40);
        bytesField(out, 1, kv.key());
        varintField(out, 2, kv.createRevision());
        varintField(out, 3, kv.modRevision());
        varintField(out, 4, kv.version());
        bytesField(out, 5, kv.value());
        varintField(out, 6, kv.lease());
        return out.toByteArray();
    }

    public static KeyValue decode(byte[] in) {
        long[] numbers = new long[7];
        byte[][] keyAndValue = {new byte[0], new byte[0]};
        scan(in, numbers, keyAndValue, true);
        return new KeyValue(keyAndValue[0], numbers[2], numbers[3], numbers[4], keyAndValue[1], numbers[6]);
    }

    /** What the key index needs of a stored record. Immutable value; thread-safe. */
    public record IndexFields(byte[] key, long createRevision, long version, long lease) {
    }

    /**
     * Decodes only the fields the key index needs, without copying the value: the store's open
     * reads every stored revision through here.
     */
    public static IndexFields decodeIndexFields(byte[] in) {
        long[] numbers = new long[7];
        byte[][] keyAndValue = {new byte[0], new byte[0]};
        scan(in, numbers, keyAndValue, false);
        return new IndexFields(keyAndValue[0], numbers[2], numbers[4], numbers[6]);
    }

    /**
     * Reads a stored record: each varint field into {@code numbers[field]}, the key into
     * {@code keyAndValue[0]} and, when {@code withValue}, the value into {@code keyAndValue[1]}
     * (otherwise it is skipped without a copy).
     */
    private static void scan(byte[] in, long[] numbers, byte[][] keyAndValue, boolean withValue) {
        int[] pos = {0};
        while (pos[0] < in.length) {
            long tag = readVarint(in, pos);
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (wire == WIRE_VARINT) {
                long v = readVarint(in, pos);
                if (field < numbers.length) {
                    numbers[field] = v;
                }
            } else if (wire == WIRE_BYTES) {
                int len = (int) readVarint(in, pos);
                if (len < 0 || pos[0] + len > in.length) {
                    throw new IllegalArgumentException("field " + field + " overruns the stored KeyValue");
                }
                if (field == 1) {
                    keyAndValue[0] = Arrays.copyOfRange(in, pos[0], pos[0] + len);
                } else if (field == 5 && withValue) {
                    keyAndValue[1] = Arrays.copyOfRange(in, pos[0], pos[0] + len);
                }
                pos[0] += len;
            } else {
                throw new IllegalArgumentException("unexpected wire type " + wire + " in stored KeyValue");
            }
        }
    }

    private static void bytesField(ByteArrayOutputStream out, int field, byte[] b) {
        if (b.length == 0) {
            return;
        }
        writeVarint(out, ((long) field << 3) | WIRE_BYTES);
        writeVarint(out, b.length);
        out.write(b, 0, b.length);
    }

    private static void varintField(ByteArrayOutputStream out, int field, long v) {
        if (v == 0) {
            return;
        }
        writeVarint(out, ((long) field << 3) | WIRE_VARINT);
        writeVarint(out, v);
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long readVarint(byte[] in, int[] pos) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in[pos[0]++];
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IllegalArgumentException("malformed varint in stored KeyValue");
    }
}
