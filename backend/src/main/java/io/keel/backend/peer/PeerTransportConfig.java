package io.keel.backend.peer;

/**
 * Settings of the member-to-member transport. Immutable value; thread-safe.
 *
 * @param localMemberId      this member's id; incoming calls addressed to another id are refused
 * @param clusterId          this cluster's id; calls from another cluster are refused
 * @param queueCapacity      messages queued per peer before new ones are dropped (etcd: 4096)
 * @param reconnectDelayMs   wait before redialling a peer after a failed or lost connection
 * @param maxMessageBytes    largest single encoded message accepted or sent on the stream
 * @param snapshotChunkBytes snapshot data slice size on the snapshot call
 * @param maxSnapshotBytes   largest snapshot a receiver assembles in memory
 */
public record PeerTransportConfig(long localMemberId, long clusterId, int queueCapacity, long reconnectDelayMs,
                                  int maxMessageBytes, int snapshotChunkBytes, long maxSnapshotBytes) {
    public static final int DEFAULT_QUEUE_CAPACITY = 4096;
    /** A snapshot is assembled in one byte array (Raft's Snapshot holds one). */
    public static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8L;

    /** Defaults for a member: etcd's queue size, 100 ms redial, 16 MiB messages, 1 MiB chunks. */
    public static PeerTransportConfig defaults(long localMemberId, long clusterId) {
        return new PeerTransportConfig(localMemberId, clusterId, DEFAULT_QUEUE_CAPACITY, 100, 16 << 20, 1 << 20,
                MAX_ARRAY_BYTES);
    }

    public PeerTransportConfig withQueueCapacity(int capacity) {
        return new PeerTransportConfig(localMemberId, clusterId, capacity, reconnectDelayMs, maxMessageBytes,
                snapshotChunkBytes, maxSnapshotBytes);
    }

    public PeerTransportConfig validate() {
        require(localMemberId != 0, "localMemberId must not be 0");
        require(queueCapacity > 0, "queueCapacity must be > 0");
        require(reconnectDelayMs > 0, "reconnectDelayMs must be > 0");
        require(maxMessageBytes > 0, "maxMessageBytes must be > 0");
        require(snapshotChunkBytes > 0 && snapshotChunkBytes < maxMessageBytes,
                "snapshotChunkBytes must be > 0 and below maxMessageBytes");
        require(maxSnapshotBytes > 0 && maxSnapshotBytes <= MAX_ARRAY_BYTES,
                "maxSnapshotBytes must be > 0 and fit one Java array (" + MAX_ARRAY_BYTES + ")");
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
