package io.keel.storage.mvcc.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Txn;

class ScratchByteArrayProxyTest {
    private static final long SEED = 0x5C7A7C4L;

    @TempDir
    Path dir;

    @Test
    void theSameMdbValRefillsItsOwnBlock() {
        ScratchByteArrayProxy.Scratch s = new ScratchByteArrayProxy.Scratch();
        Pointer key = s.blockFor(1000, 16);
        Pointer value = s.blockFor(2000, 256);
        assertNotSame(key, value, "key and value of one call must not share a block");
        assertSame(key, s.blockFor(1000, 40), "a fitting input reuses the MDB_val's block");
        assertSame(value, s.blockFor(2000, 100));
    }

    @Test
    void aNewMdbValTakesTheLeastRecentlyFilledBlock() {
        ScratchByteArrayProxy.Scratch s = new ScratchByteArrayProxy.Scratch();
        List<Pointer> blocks = new ArrayList<>();
        for (int i = 1; i <= ScratchByteArrayProxy.SLOTS; i++) {
            blocks.add(s.blockFor(i, 8));
        }
        s.blockFor(1, 8); // MDB_val 1 filled again: MDB_val 2's block is now the oldest
        Pointer taken = s.blockFor(99, 8);
        assertSame(blocks.get(1), taken);
        for (int i = 0; i < ScratchByteArrayProxy.SLOTS; i++) {
            if (i != 1) {
                assertSame(blocks.get(i), s.blockFor(i + 1, 8), "MDB_val " + (i + 1) + " keeps its block");
            }
        }
    }

    @Test
    void blocksGrowAndLargeOnesAreNotKept() {
        ScratchByteArrayProxy.Scratch s = new ScratchByteArrayProxy.Scratch();
        Pointer small = s.blockFor(1, 10);
        assertEquals(64, small.size());
        Pointer grown = s.blockFor(1, 1000);
        assertEquals(1024, grown.size());
        Pointer large = s.blockFor(1, 300_000);
        assertTrue(large.size() >= 300_000);
        assertSame(large, s.blockFor(1, 200_000), "a large input reuses the large block");
        Pointer after = s.blockFor(1, 100);
        assertTrue(after.size() <= ScratchByteArrayProxy.RETAIN_BYTES,
                "a small input gives the large block up: " + after.size());
    }

    @Test
    void reservingIntoAByteArrayIsUnsupportedAsInLmdbjava() {
        assertNull(ScratchByteArrayProxy.PROXY.in(new byte[4], 4, null));
    }

    @Test
    void keysAndValuesOfEverySizeRoundTripThroughLmdb() {
        Random random = new Random(SEED);
        TreeMap<byte[], byte[]> expected = new TreeMap<>(ByteArrayProxy::compareArrays);
        try (LmdbBackend backend = LmdbBackend.open(dir.resolve("db"), 1L << 30, false, 16, List.of("aux"))) {
            for (int batch = 0; batch < 10; batch++) {
                try (Txn<byte[]> txn = backend.writeTxn()) {
                    for (int i = 0; i < 100; i++) {
                        byte[] key = new byte[1 + random.nextInt(64)];
                        random.nextBytes(key);
                        int size = switch (random.nextInt(4)) {
                            case 0 -> 0;
                            case 1 -> random.nextInt(64);
                            case 2 -> random.nextInt(4096);
                            default -> random.nextInt(100_000);
                        };
                        byte[] value = new byte[size];
                        random.nextBytes(value);
                        backend.putRevision(txn, key, value);
                        expected.put(key, value);
                        // read back in the same transaction: the key goes through the proxy again
                        assertArrayEquals(value, backend.getRevision(txn, key), "seed " + SEED);
                    }
                    txn.commit();
                }
            }
            try (Txn<byte[]> txn = backend.readTxn()) {
                for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
                    assertArrayEquals(e.getValue(), backend.getRevision(txn, e.getKey()), "seed " + SEED);
                }
                List<byte[]> keys = new ArrayList<>();
                try (CursorIterable<byte[]> it = backend.revisionsFrom(txn, expected.firstKey())) {
                    for (CursorIterable.KeyVal<byte[]> kv : it) {
                        keys.add(kv.key());
                        assertArrayEquals(expected.get(kv.key()), kv.val());
                    }
                }
                assertEquals(expected.size(), keys.size());
                assertArrayEquals(expected.keySet().toArray(), keys.toArray());
            }
        }
    }
}
