package io.keel.storage.raftlog;

import io.keel.raft.Entry;

/**
 * The most recent entries of the log, contiguous by index, bounded by count and bytes, so Raft's
 * reads of recent entries (replication to followers, applying) do not touch the queue. A ring
 * buffer: appends at the tail evict from the head.
 *
 * <p>Owned by {@link DurableRaftStorage}; not thread-safe.
 * Invariant: the cached entries are {@code [firstIndex, firstIndex + size)} and their
 * {@link Entry#sizeBytes()} sum to {@code bytes <= maxBytes} (a single larger entry is not kept).
 */
final class EntryCache {
    private final Entry[] ring;
    private final long maxBytes;
    private int head;
    private int size;
    private long bytes;

    EntryCache(int maxEntries, long maxBytes) {
        this.ring = new Entry[maxEntries];
        this.maxBytes = maxBytes;
    }

    /** Adds the entry that follows the cached ones (or starts afresh if it does not follow). */
    void add(Entry e) {
        if (size > 0 && e.index() != lastIndex() + 1) {
            clear();
        }
        if (e.sizeBytes() > maxBytes) {
            clear();
            return;
        }
        while (size == ring.length || bytes + e.sizeBytes() > maxBytes) {
            evictHead();
        }
        ring[(head + size) % ring.length] = e;
        size++;
        bytes += e.sizeBytes();
    }

    /** The cached entry at {@code index}, or null. */
    Entry get(long index) {
        if (size == 0 || index < firstIndex() || index > lastIndex()) {
            return null;
        }
        return ring[(int) ((head + (index - firstIndex())) % ring.length)];
    }

    /** Forgets entries at and above {@code index}. */
    void truncateFrom(long index) {
        while (size > 0 && lastIndex() >= index) {
            int tail = (head + size - 1) % ring.length;
            bytes -= ring[tail].sizeBytes();
            ring[tail] = null;
            size--;
        }
    }

    /** Forgets entries at and below {@code index}. */
    void compactTo(long index) {
        while (size > 0 && firstIndex() <= index) {
            evictHead();
        }
    }

    void clear() {
        while (size > 0) {
            evictHead();
        }
    }

    int size() {
        return size;
    }

    private long firstIndex() {
        return ring[head].index();
    }

    private long lastIndex() {
        return firstIndex() + size - 1;
    }

    private void evictHead() {
        bytes -= ring[head].sizeBytes();
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
    }
}
