package io.keel.raft.sim;

/**
 * A safety or liveness property of Raft was broken. Carries the property's name so that a failing
 * seed says which rule broke, not just where. Immutable; thread-safe.
 */
final class InvariantViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String invariant;

    InvariantViolation(String invariant, String detail) {
        super(invariant + ": " + detail);
        this.invariant = invariant;
    }

    String invariant() {
        return invariant;
    }
}
