package io.keel.raft.sim;

/**
 * A seed broke an invariant (or the core threw). The message is the whole report a developer
 * needs: seed, invariant, detail, the last events and the command that replays the run.
 * Immutable; thread-safe.
 */
final class SimulationFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long seed;
    private final String invariant;

    SimulationFailure(long seed, long chaosTicks, String invariant, String detail, long timeUnits, Trace trace,
                      Throwable cause) {
        super("Simulation seed " + seed + " broke: " + invariant + "\n  " + detail
                + "\n  at virtual time " + timeUnits + " units (" + timeUnits / SimClock.UNITS_PER_TICK
                + " ticks), after " + trace.events() + " events\nLast events:\n" + trace.tail()
                + "\nReplay: " + replayCommand(seed, chaosTicks), cause);
        this.seed = seed;
        this.invariant = invariant;
    }

    static String replayCommand(long seed, long chaosTicks) {
        return "mvn -B -ntp -pl raft test -Dtest=SimulationTest -Dsim.seed=" + seed
                + (chaosTicks == Simulation.DEFAULT_CHAOS_TICKS ? "" : " -Dsim.chaosTicks=" + chaosTicks);
    }

    long seed() {
        return seed;
    }

    String invariant() {
        return invariant;
    }
}
