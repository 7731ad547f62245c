package io.keel.raft.sim;

import io.keel.raft.ConfChange;
import io.keel.raft.Entry;
import io.keel.raft.EntryType;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * The replicated state machine of the simulation: a few registers, each remembering which write
 * set it and at which log index, plus a hash chain over every applied entry. Two members that
 * applied the same sequence have the same chain, so comparing chains index by index checks state
 * machine safety cheaply.
 *
 * <p>It also keeps the member list as the server's member store does (voters, learners, removed
 * ids) and checks each conf change against it when applying it, as the server's ConfChangeCheck
 * does (etcd's ValidateConfigurationChange): a removed id, an addition of a member already there,
 * a promotion of a voter or a removal of a stranger is refused, and the driver then leaves Raft's
 * configuration as it was. Peer URLs and etcd's one-learner limit are not modelled. Owned by one
 * {@link SimNode}; not thread-safe.
 */
final class KvStateMachine {
    static final int KEYS = 4;

    private long appliedIndex;
    private long chain;
    private final long[] writeIdByKey = new long[KEYS];
    private final long[] writeIndexByKey = new long[KEYS];
    private final Set<Long> voters = new TreeSet<>();
    private final Set<Long> learners = new TreeSet<>();
    private final Set<Long> removed = new TreeSet<>();

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
        readIds(buf, sm.voters);
        readIds(buf, sm.learners);
        readIds(buf, sm.removed);
        if (buf.hasRemaining()) {
            throw new IllegalArgumentException("trailing bytes in state machine snapshot");
        }
        return sm;
    }

    byte[] encode() {
        int ids = voters.size() + learners.size() + removed.size();
        ByteBuffer buf = ByteBuffer.allocate(16 + KEYS * 16 + 3 * Integer.BYTES + ids * Long.BYTES);
        buf.putLong(appliedIndex).putLong(chain);
        for (int k = 0; k < KEYS; k++) {
            buf.putLong(writeIdByKey[k]).putLong(writeIndexByKey[k]);
        }
        writeIds(buf, voters);
        writeIds(buf, learners);
        writeIds(buf, removed);
        return buf.array();
    }

    private static void writeIds(ByteBuffer buf, Set<Long> ids) {
        buf.putInt(ids.size());
        ids.forEach(buf::putLong);
    }

    private static void readIds(ByteBuffer buf, Set<Long> into) {
        for (int n = buf.getInt(); n > 0; n--) {
            into.add(buf.getLong());
        }
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

    /**
     * Applies the next entry; the caller guarantees {@code e.index() == appliedIndex() + 1}.
     * Returns false only for a conf change it refused (Raft's configuration must not take it).
     */
    boolean apply(Entry e) {
        boolean accepted = true;
        if (isWrite(e)) {
            int key = keyOf(e);
            writeIdByKey[key] = writeIdOf(e);
            writeIndexByKey[key] = e.index();
        } else if (e.type() == EntryType.CONF_CHANGE) {
            accepted = applyConfChange(ConfChange.decode(e.data()));
        }
        chain = chainStep(chain, e);
        appliedIndex = e.index();
        return accepted;
    }

    private boolean applyConfChange(ConfChange cc) {
        long id = cc.nodeId();
        boolean member = voters.contains(id) || learners.contains(id);
        boolean holds = !removed.contains(id) && switch (cc.type()) {
            case ADD_NODE -> !voters.contains(id); // a learner's promotion, or a new voter
            case ADD_LEARNER_NODE -> !member;
            case REMOVE_NODE, UPDATE_NODE -> member;
        };
        if (!holds) {
            return false;
        }
        switch (cc.type()) {
            case ADD_NODE -> {
                learners.remove(id);
                voters.add(id);
            }
            case ADD_LEARNER_NODE -> learners.add(id);
            case REMOVE_NODE -> {
                voters.remove(id);
                learners.remove(id);
                removed.add(id);
            }
            case UPDATE_NODE -> { }
        }
        return true;
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
