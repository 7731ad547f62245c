package io.keel.storage.mvcc.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers how each key looked before the first change of one write transaction, so an aborted
 * transaction leaves the index as it found it. Owned by one write transaction on the applier
 * thread; not thread-safe.
 *
 * <p>Flat: a transaction that deletes a million keys keeps a million of these until it commits,
 * so each is a key's {@link KeyIndex} and {@link KeyIndex#MARK_LONGS} longs in one shared array
 * (44 bytes a key) rather than a mark object and a closure (76).
 */
public final class UndoLog {
    /** In {@code marks}, instead of a generation offset: the key was created by this transaction. */
    private static final long CREATED = -1;

    private final TreeIndex index;
    private final Map<KeyIndex, Boolean> seen = new IdentityHashMap<>();
    private final List<KeyIndex> keys = new ArrayList<>();
    private long[] marks = new long[4 * KeyIndex.MARK_LONGS];

    public UndoLog(TreeIndex index) {
        this.index = index;
    }

    void remember(KeyIndex ki, boolean created) {
        if (seen.putIfAbsent(ki, Boolean.TRUE) != null) {
            return;
        }
        int at = keys.size() * KeyIndex.MARK_LONGS;
        if (at + KeyIndex.MARK_LONGS > marks.length) {
            marks = Arrays.copyOf(marks, Math.max(at + KeyIndex.MARK_LONGS, marks.length + (marks.length >> 1)));
        }
        if (created) {
            marks[at] = CREATED;
        } else {
            ki.mark(marks, at);
        }
        keys.add(ki);
    }

    /** Restores every remembered key, newest change first. */
    public void rollback() {
        for (int i = keys.size() - 1; i >= 0; i--) {
            KeyIndex ki = keys.get(i);
            int at = i * KeyIndex.MARK_LONGS;
            if (marks[at] == CREATED) {
                index.removeIfSame(ki);
            } else {
                ki.rollback(marks, at);
            }
        }
        keys.clear();
        seen.clear();
    }
}
