package io.keel.raft.sim;

import io.keel.raft.Entry;
import io.keel.raft.EntryType;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The replicated state machine of the simulation: a few registers, each remembering which write
 * set it and at which log index, plus a hash chain over every applied entry. Two members that
 * applied the same sequence have the same chain, so comparing chains index by index checks state
 * machine safety cheaply. Owned by one {@link SimNode}; not thread-safe.
 */
final class KvStateMachine {
    static final int KEYS = 4;

    private long appliedIndex;
    private long chain;
    private final long[] writeIdByKey = new long[KEYS];
    private final long[] writeIndexByKey = new long[KEYS];

    /** The state before any entry. */
    KvStateMachine() {
    }

    /** Rebuilds the state recorded in a snapshot's data (see {@link #encode()}). */
    static KvStateMachine decode(byte[] data) {
        KvStateMachine sm = new KvStateMachine();
        if (data.length == 0) {
            return sm;
        }
        ByteBuffer buf = ByteBuffer.wrap(data);
        sm.appliedIndex = buf.getLong();
        sm.chain = buf.getLong();
        for (int k = 0; k < KEYS; k++) {
            sm.writeIdByKey[k] = buf.getLong();
            sm.writeIndexByKey[k] = buf.getLong();
        }
        if (buf.hasRemaining()) {
            throw new IllegalArgumentException("trailing bytes in state machine snapshot");
        }
        return sm;
    }

    byte[] encode() {
        ByteBuffer buf = ByteBuffer.allocate(16 + KEYS * 16);
        buf.putLong(appliedIndex).putLong(chain);
        for (int k = 0; k < KEYS; k++) {
            buf.putLong(writeIdByKey[k]).putLong(writeIndexByKey[k]);
        }
        return buf.array();
    }

    /** The payload of a client write: which register and a unique write id. */
    static byte[] write(int key, long writeId) {
        return ByteBuffer.allocate(9).put((byte) key).putLong(writeId).array();
    }

    static boolean isWrite(Entry e) {
        return e.type() == EntryType.NORMAL && e.data().length == 9;
    }

    static int keyOf(Entry e) {
        return e.data()[0];
    }

    static long writeIdOf(Entry e) {
        return ByteBuffer.wrap(e.data()).getLong(1);
    }

    /** Applies the next entry; the caller guarantees {@code e.index() == appliedIndex() + 1}. */
    void apply(Entry e) {
        if (isWrite(e)) {
            int key = keyOf(e);
            writeIdByKey[key] = writeIdOf(e);
            writeIndexByKey[key] = e.index();
        }
        chain = chainStep(chain, e);
        appliedIndex = e.index();
    }

    static long chainStep(long previous, Entry e) {
        long h = previous * 0x100000001B3L + e.term();
        h = h * 0x100000001B3L + e.index();
        h = h * 0x100000001B3L + e.type().ordinal();
        h = h * 0x100000001B3L + Arrays.hashCode(e.data());
        return h ^ (h >>> 29);
    }

    long appliedIndex() {
        return appliedIndex;
    }

    long chain() {
        return chain;
    }

    /** Log index of the write a read of {@code key} observes now (0 for the initial value). */
    long writeIndexOf(int key) {
        return writeIndexByKey[key];
    }

    long writeIdOf(int key) {
        return writeIdByKey[key];
    }
}
