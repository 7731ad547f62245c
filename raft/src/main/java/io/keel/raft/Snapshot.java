package io.keel.raft;

import java.util.Arrays;
import java.util.Objects;

/**
 * A state-machine snapshot plus the log position it covers. Immutable value; thread-safe; the data
 * array is owned by the snapshot and must not be mutated.
 */
public record Snapshot(SnapshotMetadata metadata, byte[] data) {
    public static final Snapshot EMPTY = new Snapshot(SnapshotMetadata.EMPTY, new byte[0]);

    public Snapshot {
        Objects.requireNonNull(metadata, "metadata");
        data = data == null ? new byte[0] : data;
    }

    /** True for the "no snapshot" value (index 0). */
    public boolean isEmpty() {
        return metadata.index() == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Snapshot s && s.metadata.equals(metadata) && Arrays.equals(s.data, data);
    }

    @Override
    public int hashCode() {
        return metadata.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Snapshot{" + metadata + " " + data.length + "B}";
    }
}
