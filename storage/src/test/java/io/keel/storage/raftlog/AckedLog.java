package io.keel.storage.raftlog;

import io.keel.raft.Entry;

import java.util.TreeMap;

/**
 * The crash test's model of a {@link WalChild}'s log, built from its {@code WRITE} and {@code ACK}
 * lines: the term of every acknowledged index (as last acknowledged, after conflicts), the highest
 * acknowledged commit, the child's clock, and the one batch it may have been writing when killed.
 * Recovery must show the acknowledged log, except that the batch in flight may have reached the
 * disk in part or in full (its barrier may have returned just before the kill, and a truncation of
 * uncommitted entries is allowed to be durable before its acknowledgement).
 *
 * <p>Owned by one test; not thread-safe.
 */
final class AckedLog {
    /** One batch as the child reported it. */
    record Batch(long first, long last, long term, long commit, long clockMillis) {
        static Batch parse(String line) {
            String[] f = line.split(" ");
            if (f.length != 6) {
                throw new IllegalArgumentException("malformed child line: " + line);
            }
            return new Batch(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                    Long.parseLong(f[5]));
        }
    }

    private final TreeMap<Long, Long> terms = new TreeMap<>();
    private long commit;
    private long clockMillis;
    private Batch inFlight;
    private int acks;

    AckedLog(long clockMillis) {
        this.clockMillis = clockMillis;
    }

    /** Takes one complete line of the child's stdout; lines other than WRITE and ACK are ignored. */
    void onLine(String line) {
        if (line.startsWith("WRITE ")) {
            inFlight = Batch.parse(line);
        } else if (line.startsWith("ACK ")) {
            Batch b = Batch.parse(line);
            terms.tailMap(b.first(), true).clear();
            for (long i = b.first(); i <= b.last(); i++) {
                terms.put(i, b.term());
            }
            commit = Math.max(commit, b.commit());
            clockMillis = Math.max(clockMillis, b.clockMillis());
            inFlight = null;
            acks++;
        }
    }

    int acks() {
        return acks;
    }

    long commit() {
        return commit;
    }

    long clockMillis() {
        return Math.max(clockMillis, inFlight == null ? 0 : inFlight.clockMillis());
    }

    long lastIndex() {
        return terms.isEmpty() ? 0 : terms.lastKey();
    }

    /** The lowest last index recovery may show: the acknowledged one, or below it where the batch in flight truncated. */
    long minRecoveredLastIndex() {
        long last = lastIndex();
        return inFlight != null && inFlight.first() <= last ? inFlight.first() - 1 : last;
    }

    /**
     * Null when {@code e} is what the child acknowledged at its index (or an entry of the batch in
     * flight there), else why not. Entries past the acknowledged end must come from that batch.
     */
    String mismatch(Entry e) {
        boolean fromInFlight = inFlight != null && e.index() >= inFlight.first() && e.index() <= inFlight.last()
                && e.term() == inFlight.term();
        if (fromInFlight) {
            return null;
        }
        Long acked = terms.get(e.index());
        if (acked == null) {
            return e.index() <= lastIndex() ? null : "entry " + e.term() + "/" + e.index()
                    + " is beyond the acknowledged end " + lastIndex() + " and not from the batch in flight " + inFlight;
        }
        return acked == e.term() ? null : "entry " + e.index() + " has term " + e.term() + " but term " + acked
                + " was acknowledged (batch in flight: " + inFlight + ")";
    }

    /** What recovery kept (acknowledged or not) is what the next child builds on. */
    void resetTo(DurableRaftStorage s) {
        terms.clear();
        for (long i = Math.max(1, s.firstIndex() - 1); i <= s.lastIndex(); i++) {
            terms.put(i, s.term(i));
        }
        commit = s.hardState().commit();
        inFlight = null;
    }

    /** The acknowledged term at {@code index}, or {@code otherwise} when none was. */
    long termOr(long index, long otherwise) {
        return terms.getOrDefault(index, otherwise);
    }
}
