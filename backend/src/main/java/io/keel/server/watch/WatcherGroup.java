package io.keel.server.watch;

import io.keel.storage.mvcc.Event;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A set of watchers indexed for event matching, as etcd's watcherGroup: single-key watchers by
 * key (one hash lookup per event), range watchers in a list. Confined to the dispatcher thread.
 */
final class WatcherGroup {
    private final Map<ByteBuffer, Set<Watcher>> byKey = new HashMap<>();
    private final Set<Watcher> ranges = new LinkedHashSet<>();
    private final Set<Watcher> all = new LinkedHashSet<>();

    void add(Watcher w) {
        if (!all.add(w)) {
            throw new IllegalStateException("watcher added twice: " + w.id);
        }
        if (w.range.isSingleKey()) {
            byKey.computeIfAbsent(ByteBuffer.wrap(w.range.key()), k -> new LinkedHashSet<>()).add(w);
        } else {
            ranges.add(w);
        }
    }

    boolean remove(Watcher w) {
        if (!all.remove(w)) {
            return false;
        }
        if (w.range.isSingleKey()) {
            ByteBuffer k = ByteBuffer.wrap(w.range.key());
            Set<Watcher> set = byKey.get(k);
            set.remove(w);
            if (set.isEmpty()) {
                byKey.remove(k);
            }
        } else {
            ranges.remove(w);
        }
        return true;
    }

    int size() {
        return all.size();
    }

    boolean isEmpty() {
        return all.isEmpty();
    }

    Collection<Watcher> all() {
        return all;
    }

    /** Calls {@code sink} with every watcher of the group whose key range holds {@code e}'s key. */
    void forEachInRange(Event e, Consumer<Watcher> sink) {
        Set<Watcher> exact = byKey.get(ByteBuffer.wrap(e.kv().key()));
        if (exact != null) {
            exact.forEach(sink);
        }
        for (Watcher w : ranges) {
            if (w.range.contains(e.kv().key())) {
                sink.accept(w);
            }
        }
    }

    /** A snapshot of up to {@code max} watchers, so callers may move them while iterating. */
    List<Watcher> first(int max) {
        List<Watcher> out = new ArrayList<>(Math.min(max, all.size()));
        for (Watcher w : all) {
            if (out.size() == max) {
                break;
            }
            out.add(w);
        }
        return out;
    }
}
