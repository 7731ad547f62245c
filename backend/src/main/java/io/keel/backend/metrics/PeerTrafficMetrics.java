package io.keel.backend.metrics;

import io.keel.backend.peer.PeerTrafficObserver;
import io.keel.raft.MessageType;
import io.keel.server.metrics.Counter;
import io.keel.server.metrics.Histogram;
import io.keel.server.metrics.HistogramCells;
import io.keel.server.metrics.LabeledCounter;
import io.keel.server.metrics.LabeledHistogram;
import io.keel.server.metrics.MetricRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * etcd's {@code etcd_network_peer_*} families ({@code To}/{@code From} labels carry the peer id in
 * hex, as etcd's do) fed by the peer transport. Round-trip time: etcd probes each peer over HTTP;
 * Keel times a leader's heartbeat to the peer's heartbeat response (one probe in flight per peer),
 * which is the same network round trip plus the follower's Raft loop. A peer's series are looked
 * up once and cached, so recording does not allocate. Thread-safe.
 */
public final class PeerTrafficMetrics implements PeerTrafficObserver {
    private final LabeledCounter sentBytes;
    private final LabeledCounter receivedBytes;
    private final LabeledCounter sentFailures;
    private final LabeledHistogram roundTrip;
    private final Counter heartbeatSendFailures;
    private final Map<Long, Peer> peers = new ConcurrentHashMap<>();

    public PeerTrafficMetrics(MetricRegistry r, Counter heartbeatSendFailures) {
        this.heartbeatSendFailures = heartbeatSendFailures;
        sentBytes = r.register(new LabeledCounter("etcd_network_peer_sent_bytes_total",
                "The total number of bytes sent to peers.", "To"));
        receivedBytes = r.register(new LabeledCounter("etcd_network_peer_received_bytes_total",
                "The total number of bytes received from peers.", "From"));
        sentFailures = r.register(new LabeledCounter("etcd_network_peer_sent_failures_total",
                "The total number of send failures from peers.", "To"));
        roundTrip = r.register(new LabeledHistogram("etcd_network_peer_round_trip_time_seconds",
                "Round-Trip-Time histogram between peers", Histogram.exponential(0.0001, 2, 16), "To"));
    }

    /** Creates a peer's series at 0, as soon as the member knows the peer. */
    public void addPeer(long peerId) {
        peer(peerId);
    }

    private Peer peer(long id) {
        Peer p = peers.get(id);
        return p != null ? p : peers.computeIfAbsent(id, this::newPeer);
    }

    private Peer newPeer(long id) {
        String hex = Long.toHexString(id);
        return new Peer(sentBytes.labels(hex), receivedBytes.labels(hex), sentFailures.labels(hex),
                roundTrip.labels(hex));
    }

    @Override
    public void sent(long peerId, MessageType type, int bytes) {
        Peer p = peer(peerId);
        p.sent.add(bytes);
        if (type == MessageType.HEARTBEAT) {
            p.heartbeatSentAt.compareAndSet(0, System.nanoTime());
        }
    }

    @Override
    public void received(long peerId, MessageType type, int bytes) {
        Peer p = peer(peerId);
        p.received.add(bytes);
        if (type == MessageType.HEARTBEAT_RESP) {
            long sentAt = p.heartbeatSentAt.getAndSet(0);
            if (sentAt != 0) {
                p.roundTrip.observeNanos(System.nanoTime() - sentAt);
            }
        }
    }

    @Override
    public void sendFailed(long peerId, MessageType typeOrNull) {
        peer(peerId).failures.increment();
        if (typeOrNull == MessageType.HEARTBEAT) {
            heartbeatSendFailures.inc();
        }
    }

    private record Peer(LongAdder sent, LongAdder received, LongAdder failures, HistogramCells roundTrip,
                        AtomicLong heartbeatSentAt) {
        Peer(LongAdder sent, LongAdder received, LongAdder failures, HistogramCells roundTrip) {
            this(sent, received, failures, roundTrip, new AtomicLong());
        }
    }
}
