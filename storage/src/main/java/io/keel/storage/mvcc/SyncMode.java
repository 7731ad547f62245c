package io.keel.storage.mvcc;

/**
 * How LMDB commits reach the disk. The Raft log is the source of truth (entries after the
 * consistent index are applied again on restart), so neither mode syncs the meta page per commit.
 * Thread-safe (an enum).
 */
public enum SyncMode {
    /**
     * {@code MDB_NOMETASYNC}: each commit flushes its data pages but leaves the meta page to the
     * next commit or an explicit sync. Survives power loss intact (LMDB's ACI guarantee), losing at
     * most the last transaction, which the Raft log replays. The default.
     */
    NO_META_SYNC,
    /**
     * {@code MDB_NOSYNC}: commits never flush; the store syncs explicitly at snapshot, defragment and
     * close. Survives a process crash intact, but a power loss can corrupt the file on file systems
     * that reorder writes. For tests and benchmarks, or members that rebuild from a peer.
     */
    NO_SYNC
}
