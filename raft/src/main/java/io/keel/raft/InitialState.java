package io.keel.raft;

import java.util.Objects;

/** What a member restarts from: its saved hard state and configuration. Immutable; thread-safe. */
public record InitialState(HardState hardState, ConfState confState) {
    public InitialState {
        Objects.requireNonNull(hardState, "hardState");
        Objects.requireNonNull(confState, "confState");
    }
}
