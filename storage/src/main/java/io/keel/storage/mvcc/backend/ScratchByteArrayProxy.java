package io.keel.storage.mvcc.backend;

import java.util.Arrays;
import java.util.Comparator;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.provider.MemoryManager;
import org.lmdbjava.BufferProxy;
import org.lmdbjava.ByteArrayProxy;

/**
 * lmdbjava's buffer proxy for {@code byte[]} keys and values, copying each key or value LMDB is
 * given into native scratch memory its thread keeps, instead of into a new native block per key.
 *
 * <p>lmdbjava's own {@link ByteArrayProxy} allocates a block (jnr-ffi {@code allocateDirect}: a
 * {@code malloc} and an object with a finalizer that frees it) for every key and value it passes
 * in: about one finalizable object per put on every member and one per key looked up, each
 * surviving its first young collection (the serial collector promotes most of them), freed later
 * on the finalizer thread. And in lmdbjava 0.9.3 nothing holds that block while LMDB reads it
 * ({@code Dbi.put} keeps the pointer in a local it never reads again), so a collection during the
 * native call may hand it to the finalizer, which frees it under LMDB (lmdbjava issue #252).
 *
 * <p>Here each thread keeps {@value #SLOTS} scratch blocks, each tied to the {@code MDB_val} it last
 * filled. A block is refilled only for the same {@code MDB_val} (whose earlier contents LMDB no
 * longer needs: lmdbjava fills an {@code MDB_val} and makes the LMDB call on the same thread
 * before filling it again) or, for a new {@code MDB_val}, when it is the least recently filled of
 * the thread's blocks; lmdbjava fills at most two {@code MDB_val}s (key and value) for one LMDB
 * call, right before it. The blocks stay reachable from their thread, so no collection can free
 * one in use; a block larger than {@value #RETAIN_BYTES} bytes is replaced by a smaller one when a
 * smaller input comes, and a dead thread's blocks are freed by the collector.
 *
 * <p>Everything else is as in {@link ByteArrayProxy}: values come out as new arrays, the same
 * comparators. Thread-safety: stateless but for the per-thread scratch.
 */
public final class ScratchByteArrayProxy extends BufferProxy<byte[]> {
    public static final ScratchByteArrayProxy PROXY = new ScratchByteArrayProxy();

    static final int SLOTS = 8;
    static final int RETAIN_BYTES = 64 * 1024;
    private static final int MIN_BLOCK_BYTES = 64;
    private static final MemoryManager MEMORY = Runtime.getSystemRuntime().getMemoryManager();
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final Comparator<byte[]> SIGNED = ByteArrayProxy::compareArraysSigned;
    private static final Comparator<byte[]> UNSIGNED = ByteArrayProxy::compareArrays;

    private ScratchByteArrayProxy() {
    }

    @Override
    protected byte[] allocate() {
        return new byte[0];
    }

    @Override
    protected void deallocate(byte[] buffer) {
        // nothing: arrays are the collector's
    }

    @Override
    protected byte[] getBytes(byte[] buffer) {
        return Arrays.copyOf(buffer, buffer.length);
    }

    @Override
    protected Comparator<byte[]> getSignedComparator() {
        return SIGNED;
    }

    @Override
    protected Comparator<byte[]> getUnsignedComparator() {
        return UNSIGNED;
    }

    @Override
    protected Pointer in(byte[] buffer, Pointer mdbVal) {
        Pointer block = SCRATCH.get().blockFor(mdbVal.address(), buffer.length);
        block.put(0, buffer, 0, buffer.length);
        mdbVal.putLong(STRUCT_FIELD_OFFSET_SIZE, buffer.length);
        mdbVal.putAddress(STRUCT_FIELD_OFFSET_DATA, block.address());
        return block;
    }

    @Override
    protected Pointer in(byte[] buffer, int size, Pointer mdbVal) {
        return null; // MDB_RESERVE into a byte[]: unsupported, as in ByteArrayProxy
    }

    @Override
    protected byte[] out(byte[] buffer, Pointer mdbVal) {
        long address = mdbVal.getAddress(STRUCT_FIELD_OFFSET_DATA);
        int size = (int) mdbVal.getLong(STRUCT_FIELD_OFFSET_SIZE);
        byte[] copy = new byte[size];
        MEMORY.newPointer(address, size).get(0, copy, 0, size);
        return copy;
    }

    /** One thread's scratch blocks. Confined to its thread. */
    static final class Scratch {
        private final long[] owners = new long[SLOTS]; // the MDB_val each block last filled; 0: none
        private final long[] lastUse = new long[SLOTS];
        private final Pointer[] blocks = new Pointer[SLOTS];
        private long uses;

        /** The block to copy {@code size} bytes into for the {@code MDB_val} at {@code owner}. */
        Pointer blockFor(long owner, int size) {
            int slot = -1;
            for (int i = 0; i < SLOTS; i++) {
                if (owners[i] == owner) {
                    slot = i;
                    break;
                }
            }
            if (slot < 0) {
                slot = 0;
                for (int i = 1; i < SLOTS; i++) {
                    if (lastUse[i] < lastUse[slot]) {
                        slot = i;
                    }
                }
                owners[slot] = owner;
            }
            lastUse[slot] = ++uses;
            Pointer block = blocks[slot];
            if (block == null || block.size() < size || (block.size() > RETAIN_BYTES && size <= RETAIN_BYTES)) {
                block = MEMORY.allocateDirect(blockSize(size));
                blocks[slot] = block;
            }
            return block;
        }

        private static int blockSize(int size) {
            if (size <= MIN_BLOCK_BYTES) {
                return MIN_BLOCK_BYTES;
            }
            int rounded = Integer.highestOneBit(size - 1) << 1;
            return rounded > 0 ? rounded : size; // beyond 1 GiB: exactly the size
        }
    }
}
