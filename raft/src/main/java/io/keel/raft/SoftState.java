package io.keel.raft;

/**
 * Volatile state that need not be persisted: the leader this member knows of (0 for none) and its
 * own role. Immutable; thread-safe.
 */
public record SoftState(long leaderId, StateRole role) {
}
