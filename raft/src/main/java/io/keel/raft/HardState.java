package io.keel.raft;

/**
 * The state a member must make durable before it sends any message of the same Ready:
 * current term, the vote cast in that term, and the highest index known committed.
 * Immutable value; thread-safe.
 *
 * @param term   current term, never decreases across restarts
 * @param vote   id voted for in {@code term}, 0 for none
 * @param commit highest log index known to be committed
 */
public record HardState(long term, long vote, long commit) {
    public static final HardState EMPTY = new HardState(0, 0, 0);

    public boolean isEmpty() {
        return equals(EMPTY);
    }
}
