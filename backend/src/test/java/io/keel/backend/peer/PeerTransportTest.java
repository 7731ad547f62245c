package io.keel.backend.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.EntryType;
import io.keel.raft.Message;
import io.keel.raft.MessageType;
import io.keel.raft.Snapshot;
import io.keel.raft.SnapshotMetadata;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two transports on loopback with free ports. Waits are on received events, never on time. */
class PeerTransportTest {
    private static final long CLUSTER = 0xc1;
    private static final long A = 1;
    private static final long B = 2;
    private static final long WAIT_SECONDS = 30;

    private final Vertx vertx = Vertx.vertx();
    private final List<PeerTransport> transports = new ArrayList<>();

    /** One member: its transport, what it received, what it was told about peers. */
    private final class Member {
        final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        final BlockingQueue<Long> unreachable = new LinkedBlockingQueue<>();
        final BlockingQueue<Boolean> snapshotStatus = new LinkedBlockingQueue<>();
        final PeerTransport transport;
        int port;

        Member(long id, long clusterId, int queueCapacity) {
            PeerStatusListener listener = new PeerStatusListener() {
                @Override
                public void unreachable(long peerId) {
                    unreachable.add(peerId);
                }

                @Override
                public void snapshotStatus(long peerId, boolean ok) {
                    snapshotStatus.add(ok);
                }
            };
            transport = new PeerTransport(vertx, PeerTransportConfig.defaults(id, clusterId)
                    .withQueueCapacity(queueCapacity), received::add, listener);
            transports.add(transport);
        }

        Member listen(int onPort) throws Exception {
            port = transport.listen(URI.create("http://127.0.0.1:" + onPort)).toCompletionStage().toCompletableFuture()
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            return this;
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + port);
        }

        Message next() throws InterruptedException {
            Message m = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(m).as("a message within " + WAIT_SECONDS + "s").isNotNull();
            return m;
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (PeerTransport t : transports) {
            t.stop().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static Message app(long index) {
        return Message.builder(MessageType.APP).from(A).to(B).term(3).logTerm(2).index(index).commit(index - 1)
                .entries(List.of(Entry.normal(3, index + 1, ("v" + index).getBytes()),
                        new Entry(3, index + 2, EntryType.CONF_CHANGE, new byte[] {1, 2})))
                .context(new byte[] {9}).build();
    }

    @Test
    void messagesArriveIntactAndInOrder() throws Exception {
        Member a = new Member(A, CLUSTER, 64).listen(0);
        Member b = new Member(B, CLUSTER, 64).listen(0);
        a.transport.addPeer(B, b.url());
        List<Message> sent = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            sent.add(app(i));
        }
        sent.add(Message.builder(MessageType.HEARTBEAT_RESP).from(A).to(B).term(3).reject(true).rejectHint(7).build());
        a.transport.send(sent);
        for (Message expected : sent) {
            assertThat(b.next()).isEqualTo(expected);
        }
    }

    @Test
    void peerConnectionsCoalesceFlushesAndABurstStillArrivesInOrder() throws Exception {
        Member a = new Member(A, CLUSTER, 4096);
        // The peer port's plain-HTTP handler reports whether its connection coalesces flushes.
        a.transport.httpHandler(req -> req.response().end(String.valueOf(
                ((io.vertx.core.net.impl.ConnectionBase) req.connection()).channel().pipeline()
                        .get(io.keel.backend.http.FlushCoalescing.NAME) != null)));
        a.listen(0);
        Member b = new Member(B, CLUSTER, 4096).listen(0);
        var http = vertx.createHttpClient();
        String installed = http.request(io.vertx.core.http.HttpMethod.GET, a.port, "127.0.0.1", "/members")
                .compose(r -> r.send().compose(io.vertx.core.http.HttpClientResponse::body))
                .map(Object::toString).toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(installed).isEqualTo("true");
        // A burst queued at once goes out as many frames under few flushes: nothing lost or reordered.
        a.transport.addPeer(B, b.url());
        List<Message> sent = new ArrayList<>();
        for (int i = 1; i <= 2_000; i++) {
            sent.add(app(i));
        }
        a.transport.send(sent);
        for (Message expected : sent) {
            assertThat(b.next()).isEqualTo(expected);
        }
    }

    @Test
    void aSnapshotCarryingMessageArrivesWholeAndIsReportedDelivered() throws Exception {
        Member a = new Member(A, CLUSTER, 64).listen(0);
        Member b = new Member(B, CLUSTER, 64).listen(0);
        a.transport.addPeer(B, b.url());
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(data);
        Snapshot snap = new Snapshot(new SnapshotMetadata(new ConfState(Set.of(1L, 2L), Set.of(3L)), 1000, 7), data);
        Message m = Message.builder(MessageType.SNAP).from(A).to(B).term(7).snapshot(snap).build();
        a.transport.send(List.of(m));
        assertThat(b.next()).isEqualTo(m);
        assertThat(a.snapshotStatus.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void overTheQueueBoundMessagesAreDroppedAndThePeerReportedUnreachable() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        Member a = new Member(A, CLUSTER, 4);
        a.transport.addPeer(B, URI.create("http://127.0.0.1:" + deadPort));
        List<Message> burst = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            burst.add(app(i));
        }
        a.transport.send(burst);
        assertThat(a.transport.droppedMessages(B)).isEqualTo(6);
        for (int i = 0; i < 6; i++) {
            assertThat(a.unreachable.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(B);
        }
    }

    @Test
    void aBurstOfContiguousAppendsArrivesMergedWithEveryEntryInOrderAndTheLastCommit() throws Exception {
        Member a = new Member(A, CLUSTER, 4096).listen(0);
        Member b = new Member(B, CLUSTER, 4096).listen(0);
        a.transport.addPeer(B, b.url());
        // As a leader under load queues them: each append continues the previous one, and the
        // commit index only grows. Sent from one thread in one call, so they queue together.
        List<Message> sent = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        long index = 10;
        for (int i = 0; i < 1_000; i++) {
            List<Entry> es = new ArrayList<>();
            for (int k = i % 3; k > 0; k--) { // 0, 1 or 2 entries: commit-only appends too
                es.add(Entry.normal(3, index + es.size() + 1, ("e" + (index + es.size() + 1)).getBytes()));
            }
            long logTerm = index == 10 ? 2 : 3;
            sent.add(Message.builder(MessageType.APP).from(A).to(B).term(3).logTerm(logTerm).index(index)
                    .commit(Math.max(0, index - 5)).entries(es).build());
            entries.addAll(es);
            index += es.size();
        }
        a.transport.send(sent);
        List<Entry> got = new ArrayList<>();
        long next = 10;
        long commit = -1;
        int messages = 0;
        while (got.size() < entries.size() || commit < sent.get(sent.size() - 1).commit()) {
            Message m = b.next();
            messages++;
            assertThat(m.type()).isEqualTo(MessageType.APP);
            assertThat(m.index()).as("each append continues the previous").isEqualTo(next);
            assertThat(m.commit()).isGreaterThanOrEqualTo(commit);
            got.addAll(m.entries());
            next += m.entries().size();
            commit = m.commit();
        }
        assertThat(got).isEqualTo(entries);
        assertThat(commit).isEqualTo(sent.get(sent.size() - 1).commit());
        assertThat(messages).as("appends merged on the way").isLessThan(sent.size());
    }

    @Test
    void theSenderRedialsAfterThePeerRestarts() throws Exception {
        Member a = new Member(A, CLUSTER, 64).listen(0);
        Member b = new Member(B, CLUSTER, 64).listen(0);
        int bPort = b.port;
        a.transport.addPeer(B, b.url());
        a.transport.send(List.of(app(1)));
        assertThat(b.next()).isEqualTo(app(1));

        b.transport.stop().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(a.unreachable.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(B);

        Member b2 = new Member(B, CLUSTER, 64).listen(bPort);
        a.transport.send(List.of(app(2)));
        assertThat(b2.next()).isEqualTo(app(2));
    }

    @Test
    void aPeerIsDialledWhenAddedAndRedialledUntilItListensWithoutAnyMessageOrUnreachableReport() throws Exception {
        int bPort = unusedLoopbackPort();
        Member a = new Member(A, CLUSTER, 64).listen(0);
        // B is not listening yet, as a restarted member's peers may not be: A keeps dialling.
        a.transport.addPeer(B, URI.create("http://127.0.0.1:" + bPort));
        assertThat(a.transport.peerActive(B)).isFalse();
        new Member(B, CLUSTER, 64).listen(bPort);
        awaitUntil(() -> a.transport.peerActive(B));
        assertThat(a.transport.peerActive(B)).as("connected before any message was sent").isTrue();
        assertThat(a.unreachable).as("a failed dial with nothing queued loses nothing").isEmpty();
    }

    @Test
    void aVoteRequestToAPeerThatCannotBeReachedIsDroppedNotDeliveredWhenItComesBack() throws Exception {
        int bPort = unusedLoopbackPort();
        Member a = new Member(A, CLUSTER, 64).listen(0);
        a.transport.addPeer(B, URI.create("http://127.0.0.1:" + bPort));
        awaitUntil(() -> a.transport.peerDown(B));
        assertThat(a.transport.peerDown(B)).as("the warm-up dial failed").isTrue();
        Message staleVote = Message.builder(MessageType.PRE_VOTE).from(A).to(B).term(7).logTerm(5).index(100).build();
        a.transport.send(List.of(staleVote));
        assertThat(a.unreachable.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(B);

        Member b = new Member(B, CLUSTER, 64).listen(bPort);
        awaitUntil(() -> a.transport.peerActive(B));
        a.transport.send(List.of(app(1)));
        assertThat(b.next()).as("the vote request held while B was down is not delivered late").isEqualTo(app(1));
    }

    @Test
    void aMemberThatOnlyCampaignsStillRedialsAPeerThatCameBack() throws Exception {
        Member a = new Member(A, CLUSTER, 64).listen(0);
        Member b = new Member(B, CLUSTER, 64).listen(0);
        int bPort = b.port;
        a.transport.addPeer(B, b.url());
        a.transport.send(List.of(app(1)));
        assertThat(b.next()).isEqualTo(app(1));
        b.transport.stop().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        awaitUntil(() -> a.transport.peerDown(B));
        Member b2 = new Member(B, CLUSTER, 64).listen(bPort);
        // Only vote requests from now on, as from a member whose peers all restarted: the dropped
        // ones must still make the sender dial, or no request would ever get through.
        Message vote = Message.builder(MessageType.PRE_VOTE).from(A).to(B).term(7).logTerm(5).index(100).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        Message got = null;
        while (got == null && System.nanoTime() < deadline) {
            a.transport.send(List.of(vote));
            got = b2.received.poll(50, TimeUnit.MILLISECONDS);
        }
        assertThat(got).isEqualTo(vote);
    }

    @Test
    void aMemberOfAnotherClusterRefusesTheStream() throws Exception {
        Member a = new Member(A, CLUSTER, 64).listen(0);
        Member stranger = new Member(B, CLUSTER + 1, 64).listen(0);
        a.transport.addPeer(B, stranger.url());
        a.transport.send(List.of(app(1)));
        assertThat(a.unreachable.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(B);
        assertThat(stranger.received).isEmpty();
    }

    @Test
    void codecRoundTripsEveryMessageType() {
        for (MessageType t : MessageType.values()) {
            Message m = Message.builder(t).from(5).to(6).term(1).index(2).logTerm(1).commit(1).build();
            assertThat(PeerMessageCodec.decode(PeerMessageCodec.encode(m))).isEqualTo(m);
        }
    }

    /** A loopback port nothing listens on (bound once, then released), for a peer that starts later. */
    private static int unusedLoopbackPort() throws java.io.IOException {
        try (ServerSocket reserved = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return reserved.getLocalPort();
        }
    }

    /** Polls {@code condition} until it holds or WAIT_SECONDS pass; the caller asserts what it needs. */
    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10); // polling a condition with a deadline
        }
    }
}
