package io.keel.storage.observe;

/**
 * What the storage layer tells whoever watches it (the server's metrics): how long durability
 * barriers and commits took, and how many MVCC operations ran. Storage stays free of any metrics
 * library; the server plugs an implementation in with {@code setObserver}.
 *
 * <p>Implementations are called on the storage's own threads (the Raft thread for the log, the
 * apply thread and readers for MVCC), on the hot path: they must be thread-safe, return at once
 * and not allocate. Every method defaults to doing nothing.
 */
public interface StorageObserver {
    /** Observes nothing; the default until the server plugs its own in. */
    StorageObserver NONE = new StorageObserver() {
    };

    /** One Raft log durability barrier (Chronicle sync plus fsync) took {@code nanos}. */
    default void walFsync(long nanos) {
    }

    /** {@code bytes} were appended to the Raft log (record payloads, before the barrier). */
    default void walWritten(long bytes) {
    }

    /** One MVCC backend commit (an LMDB write transaction, with its flush) took {@code nanos}. */
    default void backendCommit(long nanos) {
    }

    /** A Raft snapshot file was written and fsynced in {@code nanos}. */
    default void snapshotSaved(long nanos) {
    }

    /** One MVCC range ran (on its own or inside a txn). */
    default void mvccRange() {
    }

    /** One MVCC put ran. */
    default void mvccPut() {
    }

    /** One MVCC delete-range ran. */
    default void mvccDelete() {
    }

    /** One MVCC txn ran. */
    default void mvccTxn() {
    }
}
