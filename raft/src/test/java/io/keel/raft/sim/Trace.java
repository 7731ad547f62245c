package io.keel.raft.sim;

import io.keel.raft.Message;
import java.util.ArrayDeque;
import java.util.StringJoiner;

/**
 * The event trace of one run: a running 64-bit hash of every event (to prove that a seed replays
 * exactly) and the last events in a bounded buffer (to explain a failure). The hash only mixes
 * values that are stable across JVMs (no identity hash codes). Owned by one {@link Simulation};
 * not thread-safe.
 */
final class Trace {
    private static final int KEPT_EVENTS = 60;

    /** One remembered event; formatted only when a failure is reported, to keep runs cheap. */
    private record Line(long timeUnits, String kind, long node, long a, long b, Message message) {
        @Override
        public String toString() {
            return message == null ? timeUnits + " " + kind + " n" + node + " " + a + " " + b
                    : timeUnits + " " + kind + " " + message;
        }
    }

    private final ArrayDeque<Line> recent = new ArrayDeque<>();
    private final boolean verbose;
    private long hash = 0x9E3779B97F4A7C15L;
    private long events;

    Trace(boolean verbose) {
        this.verbose = verbose;
    }

    void event(long timeUnits, String kind, long node, long a, long b) {
        mix(timeUnits);
        mix(kind.hashCode());
        mix(node);
        mix(a);
        mix(b);
        remember(new Line(timeUnits, kind, node, a, b, null));
    }

    void message(long timeUnits, String kind, Message m) {
        mix(timeUnits);
        mix(kind.hashCode());
        mix(m.type().ordinal());
        mix(m.from());
        mix(m.to());
        mix(m.term());
        mix(m.logTerm());
        mix(m.index());
        mix(m.commit());
        mix(m.entries().size());
        mix(m.reject() ? 1 : 0);
        mix(m.snapshot().metadata().index());
        remember(new Line(timeUnits, kind, 0, 0, 0, m));
    }

    long hash() {
        return hash;
    }

    long events() {
        return events;
    }

    String tail() {
        StringJoiner out = new StringJoiner("\n  ", "  ", "");
        recent.forEach(l -> out.add(l.toString()));
        return out.toString();
    }

    private void remember(Line line) {
        events++;
        if (verbose) {
            System.out.println(line);
        }
        if (recent.size() == KEPT_EVENTS) {
            recent.removeFirst();
        }
        recent.addLast(line);
    }

    private void mix(long v) {
        long z = hash ^ v;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        hash = z ^ (z >>> 31);
    }
}
