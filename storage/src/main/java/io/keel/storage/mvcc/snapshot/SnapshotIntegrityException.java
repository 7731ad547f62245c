package io.keel.storage.mvcc.snapshot;

import java.io.IOException;

/** A snapshot stream failed its length or SHA-256 check. Thread-safe. */
public final class SnapshotIntegrityException extends IOException {
    public SnapshotIntegrityException(String message) {
        super(message);
    }
}
