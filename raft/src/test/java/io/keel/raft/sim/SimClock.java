package io.keel.raft.sim;

/**
 * Virtual time of one simulation run, in units; a Raft tick is {@link #UNITS_PER_TICK} units so that
 * message delays can be shorter than a tick. Only the simulation advances it; nothing reads a real
 * clock. Owned by one {@link Simulation}; not thread-safe.
 */
final class SimClock {
    static final long UNITS_PER_TICK = 10;

    private long nowUnits;

    long now() {
        return nowUnits;
    }

    /** Moves time forward; virtual time never runs backwards. */
    void advanceTo(long units) {
        if (units < nowUnits) {
            throw new IllegalStateException("virtual time cannot go back from " + nowUnits + " to " + units);
        }
        nowUnits = units;
    }

    static long ticks(long n) {
        return n * UNITS_PER_TICK;
    }
}
