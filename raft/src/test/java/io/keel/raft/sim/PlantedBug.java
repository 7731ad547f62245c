package io.keel.raft.sim;

/**
 * A bug deliberately planted in the simulated world, to prove that the checkers catch what it
 * causes. Production runs use {@link #NONE}. Immutable; thread-safe.
 */
enum PlantedBug {
    NONE,
    /** On crash a member's disk forgets its last entry although it was acknowledged. */
    DISK_LOSES_ACKNOWLEDGED_TAIL,
    /** A member answers a read from its local state at once instead of waiting for ReadIndex. */
    READ_WITHOUT_READ_INDEX
}
