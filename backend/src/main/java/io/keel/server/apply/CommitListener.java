package io.keel.server.apply;

import io.keel.storage.mvcc.Event;
import java.util.List;

/**
 * Told on the apply thread, right after each MVCC commit, of the key-value changes it made (the
 * watch hub). Implementations must return at once: the apply thread is the write path.
 */
@FunctionalInterface
public interface CommitListener {
    CommitListener NONE = (revision, changes) -> { };

    void committed(long revision, List<Event> changes);
}
