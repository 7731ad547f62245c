package io.keel.bench.workload;

import com.google.protobuf.ByteString;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * Keys and values as etcd's benchmark makes them: a key is a zero-filled buffer of
 * {@code --key-size} bytes that starts with the key number as a Go zig-zag varint
 * ({@code binary.PutVarint}), so Keel and etcd see byte-identical keys. Stateless.
 */
public final class Keys {
    private Keys() {
    }

    public static ByteString key(int keySize, long n) {
        byte[] k = new byte[keySize];
        long ux = (n << 1) ^ (n >> 63);
        int i = 0;
        while ((ux & ~0x7FL) != 0) {
            put(k, i++, (byte) ((ux & 0x7F) | 0x80));
            ux >>>= 7;
        }
        put(k, i, (byte) ux);
        return ByteString.copyFrom(k);
    }

    private static void put(byte[] k, int i, byte b) {
        if (i >= k.length) {
            throw new IllegalArgumentException("--key-size " + k.length + " is too small for the key number");
        }
        k[i] = b;
    }

    /** {@code n} pseudo-random bytes from a fixed seed: every run sends the same value. */
    public static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** The key number of request {@code seq}: sequential, or uniform over the key space. */
    public static long keyNumber(long seq, int keySpaceSize, boolean sequential, SplittableRandom random) {
        if (sequential) {
            return seq % keySpaceSize;
        }
        synchronized (random) {
            return random.nextInt(keySpaceSize);
        }
    }

    /** The smallest key greater than every key with prefix {@code key} ("\0" when none is). */
    public static ByteString prefixEnd(ByteString key) {
        byte[] end = key.toByteArray();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return ByteString.copyFrom(end, 0, i + 1);
            }
        }
        return ByteString.copyFrom(new byte[] {0});
    }
}
