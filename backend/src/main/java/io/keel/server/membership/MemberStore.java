package io.keel.server.membership;

import com.google.protobuf.InvalidProtocolBufferException;
import io.keel.api.etcdserverpb.Member;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.MvccWriteTxn;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cluster's member list as applied from the Raft log, persisted in the MVCC store's
 * {@value #BUCKET} bucket (removed ids in {@value #REMOVED_BUCKET}, and the Raft indexes of
 * membership changes refused when applied in {@value #REFUSED_BUCKET}) in the same write
 * transaction as the entry that changed it.
 *
 * <p>Written only by the apply thread; read from any thread through immutable snapshots.
 */
public final class MemberStore {
    public static final String BUCKET = "members";
    public static final String REMOVED_BUCKET = "members_removed";
    public static final String REFUSED_BUCKET = "members_refused_changes";
    /** The aux buckets a store must be opened with for a member store. */
    public static final List<String> BUCKETS = List.of(BUCKET, REMOVED_BUCKET, REFUSED_BUCKET);

    /** {@link #BUCKETS} followed by {@code others} (a member's other aux buckets). */
    public static List<String> bucketsWith(String... others) {
        List<String> all = new java.util.ArrayList<>(BUCKETS);
        all.addAll(List.of(others));
        return List.copyOf(all);
    }

    private volatile Map<Long, Member> members = Map.of();
    private volatile Set<Long> removed = Set.of();
    private volatile Set<Long> refused = Set.of();

    /** Loads what the store holds (empty for a new member). */
    public static MemberStore load(MvccStore store) {
        MemberStore m = new MemberStore();
        Map<Long, Member> loaded = new TreeMap<>();
        for (Map.Entry<byte[], byte[]> e : store.readAux(BUCKET)) {
            try {
                Member member = Member.parseFrom(e.getValue());
                loaded.put(member.getID(), member);
            } catch (InvalidProtocolBufferException ex) {
                throw new IllegalStateException("corrupt member record in the store", ex);
            }
        }
        m.members = Collections.unmodifiableMap(loaded);
        m.removed = keysOf(store, REMOVED_BUCKET);
        m.refused = keysOf(store, REFUSED_BUCKET);
        return m;
    }

    /** The 8-byte keys of {@code bucket}, as numbers (removed ids, refused indexes). */
    private static Set<Long> keysOf(MvccStore store, String bucket) {
        Set<Long> keys = new HashSet<>();
        for (Map.Entry<byte[], byte[]> e : store.readAux(bucket)) {
            keys.add(ByteBuffer.wrap(e.getKey()).getLong());
        }
        return Set.copyOf(keys);
    }

    private static Set<Long> plus(Set<Long> set, long value) {
        Set<Long> next = new HashSet<>(set);
        next.add(value);
        return Set.copyOf(next);
    }

    /** Members ordered by id; any thread. */
    public List<Member> list() {
        return List.copyOf(members.values());
    }

    public Member get(long id) {
        return members.get(id);
    }

    public boolean isRemoved(long id) {
        return removed.contains(id);
    }

    /** Adds or replaces {@code member}; apply thread, inside {@code txn}. */
    public void put(Member member, MvccWriteTxn txn) {
        txn.putAux(BUCKET, key(member.getID()), member.toByteArray());
        Map<Long, Member> next = new TreeMap<>(members);
        next.put(member.getID(), member);
        members = Collections.unmodifiableMap(next);
    }

    /** Removes {@code id} and remembers it was removed; apply thread, inside {@code txn}. */
    public void remove(long id, MvccWriteTxn txn) {
        txn.deleteAux(BUCKET, key(id));
        txn.putAux(REMOVED_BUCKET, key(id), new byte[0]);
        Map<Long, Member> next = new TreeMap<>(members);
        next.remove(id);
        members = Collections.unmodifiableMap(next);
        removed = plus(removed, id);
    }

    /**
     * Records that the membership change at Raft index {@code index} was refused when applied
     * ({@link ConfChangeCheck}): it changed nothing, and Raft's configuration must not take it
     * either, also when a restart replays it. Apply thread, inside {@code txn}.
     */
    public void refuse(long index, MvccWriteTxn txn) {
        txn.putAux(REFUSED_BUCKET, key(index), new byte[0]);
        refused = plus(refused, index);
    }

    /** Whether the membership change at Raft index {@code index} was applied and refused. */
    public boolean wasRefused(long index) {
        return refused.contains(index);
    }

    /** Replaces the whole list after a snapshot restore. */
    public void reload(MvccStore store) {
        MemberStore fresh = load(store);
        members = fresh.members;
        removed = fresh.removed;
        refused = fresh.refused;
    }

    private static byte[] key(long id) {
        return ByteBuffer.allocate(Long.BYTES).putLong(id).array();
    }
}
