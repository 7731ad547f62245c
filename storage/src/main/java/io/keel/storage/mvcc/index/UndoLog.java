package io.keel.storage.mvcc.index;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers how each key looked before the first change of one write transaction, so an aborted
 * transaction leaves the index as it found it. Owned by one write transaction on the applier
 * thread; not thread-safe.
 */
public final class UndoLog {
    private final TreeIndex index;
    private final Map<KeyIndex, Boolean> seen = new IdentityHashMap<>();
    private final List<Runnable> undo = new ArrayList<>();

    public UndoLog(TreeIndex index) {
        this.index = index;
    }

    void remember(KeyIndex ki, boolean created) {
        if (seen.putIfAbsent(ki, Boolean.TRUE) != null) {
            return;
        }
        if (created) {
            undo.add(() -> index.removeIfSame(ki));
        } else {
            KeyIndex.Mark mark = ki.mark();
            undo.add(() -> ki.rollback(mark));
        }
    }

    /** Restores every remembered key, newest change first. */
    public void rollback() {
        for (int i = undo.size() - 1; i >= 0; i--) {
            undo.get(i).run();
        }
        undo.clear();
        seen.clear();
    }
}
