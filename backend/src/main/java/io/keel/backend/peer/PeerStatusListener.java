package io.keel.backend.peer;

/**
 * What the transport tells the Raft node about peers, so it can step the matching local messages
 * (UNREACHABLE, SNAP_STATUS) as etcd's raft node does. Called on a Vert.x event loop; must not block.
 * Implementations must be thread-safe.
 */
public interface PeerStatusListener {
    /** A message to {@code peerId} was dropped (queue full, connection lost, refused). */
    void unreachable(long peerId);

    /** A snapshot-carrying message to {@code peerId} was delivered ({@code ok}) or failed. */
    void snapshotStatus(long peerId, boolean ok);

    /** A stream to {@code peerId} stands now, after none did (etcd's "peer became active"). */
    default void active(long peerId) {
    }

    /** A listener that ignores every report. */
    PeerStatusListener IGNORE = new PeerStatusListener() {
        @Override
        public void unreachable(long peerId) {
        }

        @Override
        public void snapshotStatus(long peerId, boolean ok) {
        }
    };
}
