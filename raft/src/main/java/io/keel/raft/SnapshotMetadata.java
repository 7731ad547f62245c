package io.keel.raft;

import java.util.Objects;

/**
 * What a snapshot covers: every entry up to and including {@code index}, taken at {@code term},
 * with the configuration in force at that index. Immutable value; thread-safe.
 */
public record SnapshotMetadata(ConfState confState, long index, long term) {
    public static final SnapshotMetadata EMPTY = new SnapshotMetadata(ConfState.EMPTY, 0, 0);

    public SnapshotMetadata {
        Objects.requireNonNull(confState, "confState");
    }
}
