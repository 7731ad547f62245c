package io.keel.server.alarm;

import io.keel.api.etcdserverpb.AlarmMember;
import io.keel.api.etcdserverpb.AlarmType;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.MvccWriteTxn;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Active alarms (NOSPACE, CORRUPT) per member, as applied from the Raft log and persisted in the
 * MVCC store's {@value #BUCKET} bucket, as etcd keeps them in its "alarm" bucket.
 *
 * <p>Written only by the apply thread; read from any thread through an immutable snapshot.
 */
public final class AlarmStore {
    public static final String BUCKET = "alarm";

    private volatile List<AlarmMember> active = List.of();

    public static AlarmStore load(MvccStore store) {
        AlarmStore a = new AlarmStore();
        a.active = read(store);
        return a;
    }

    /** Every active alarm, ordered by member then type; any thread. */
    public List<AlarmMember> active() {
        return active;
    }

    public boolean isActive(AlarmType type) {
        for (AlarmMember a : active) {
            if (a.getAlarm() == type) {
                return true;
            }
        }
        return false;
    }

    /** Raises an alarm; returns false if it was already active. Apply thread, inside {@code txn}. */
    public boolean activate(long memberId, AlarmType type, MvccWriteTxn txn) {
        AlarmMember alarm = AlarmMember.newBuilder().setMemberID(memberId).setAlarm(type).build();
        if (active.contains(alarm)) {
            return false;
        }
        txn.putAux(BUCKET, key(memberId, type), new byte[0]);
        List<AlarmMember> next = new ArrayList<>(active);
        next.add(alarm);
        next.sort(ORDER);
        active = List.copyOf(next);
        return true;
    }

    /** Clears an alarm; returns false if it was not active. Apply thread, inside {@code txn}. */
    public boolean deactivate(long memberId, AlarmType type, MvccWriteTxn txn) {
        AlarmMember alarm = AlarmMember.newBuilder().setMemberID(memberId).setAlarm(type).build();
        if (!active.contains(alarm)) {
            return false;
        }
        txn.deleteAux(BUCKET, key(memberId, type));
        List<AlarmMember> next = new ArrayList<>(active);
        next.remove(alarm);
        active = List.copyOf(next);
        return true;
    }

    public void reload(MvccStore store) {
        active = read(store);
    }

    private static List<AlarmMember> read(MvccStore store) {
        List<AlarmMember> out = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> e : store.readAux(BUCKET)) {
            ByteBuffer key = ByteBuffer.wrap(e.getKey());
            out.add(AlarmMember.newBuilder().setMemberID(key.getLong()).setAlarmValue(key.getInt()).build());
        }
        out.sort(ORDER);
        return List.copyOf(out);
    }

    private static final Comparator<AlarmMember> ORDER = Comparator
            .comparing(AlarmMember::getMemberID, Long::compareUnsigned)
            .thenComparingInt(AlarmMember::getAlarmValue);

    private static byte[] key(long memberId, AlarmType type) {
        return ByteBuffer.allocate(Long.BYTES + Integer.BYTES).putLong(memberId).putInt(type.getNumber()).array();
    }
}
