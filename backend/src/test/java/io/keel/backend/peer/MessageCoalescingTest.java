package io.keel.backend.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.raft.Entry;
import io.keel.raft.EntryType;
import io.keel.raft.HardState;
import io.keel.raft.MemoryStorage;
import io.keel.raft.Message;
import io.keel.raft.MessageType;
import io.keel.raft.RaftConfig;
import io.keel.raft.RawNode;
import io.keel.raft.Ready;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MessageCoalescingTest {
    private static final long L = 1;
    private static final long F = 2;

    private static Message app(long index, long logTerm, long commit, Entry... entries) {
        return Message.builder(MessageType.APP).from(L).to(F).term(3).logTerm(logTerm).index(index).commit(commit)
                .entries(List.of(entries)).build();
    }

    private static Message commitOnly(Message m) {
        return new Message(m.type(), m.to(), m.from(), m.term(), m.logTerm(), m.index(), m.entries(), m.commit(),
                m.snapshot(), m.reject(), m.rejectHint(), m.context(), true);
    }

    private static Message resp(long index) {
        return Message.builder(MessageType.APP_RESP).from(F).to(L).term(3).index(index).build();
    }

    private static Entry e(long term, long index) {
        return Entry.normal(term, index, ("v" + index).getBytes());
    }

    private static List<Message> coalesced(Message... ms) {
        List<Message> batch = new ArrayList<>(List.of(ms));
        MessageCoalescing.coalesce(batch);
        return batch;
    }

    @Test
    void contiguousAppendsBecomeOneWithBothEntryListsAndTheLaterCommit() {
        assertThat(coalesced(app(10, 2, 9, e(3, 11), e(3, 12)), app(12, 3, 11, e(3, 13)), app(13, 3, 12)))
                .containsExactly(app(10, 2, 12, e(3, 11), e(3, 12), e(3, 13)));
        // A commit-only append then one with entries at the same place: the second alone.
        assertThat(coalesced(app(10, 2, 9), app(10, 2, 10, e(3, 11)))).containsExactly(app(10, 2, 10, e(3, 11)));
    }

    @Test
    void aMergedAppendGoesUnansweredOnlyIfBothWouldHave() {
        Message commitOnly = commitOnly(app(13, 3, 12));
        Message laterCommitOnly = commitOnly(app(13, 3, 13));
        assertThat(coalesced(commitOnly, laterCommitOnly)).containsExactly(laterCommitOnly);
        // An answered probe followed by a commit-only APP: the merge must still be answered.
        Message probe = app(13, 3, 12);
        assertThat(coalesced(probe, laterCommitOnly)).singleElement().satisfies(m -> {
            assertThat(m.commit()).isEqualTo(13);
            assertThat(m.commitOnly()).isFalse();
        });
        assertThat(coalesced(commitOnly, app(13, 3, 13))).singleElement()
                .satisfies(m -> assertThat(m.commitOnly()).isFalse());
        // Entries then a commit-only APP: the entries are answered.
        assertThat(coalesced(app(12, 3, 11, e(3, 13)), laterCommitOnly)).singleElement().satisfies(m -> {
            assertThat(m.entries()).hasSize(1);
            assertThat(m.commit()).isEqualTo(13);
            assertThat(m.commitOnly()).isFalse();
        });
    }

    @Test
    void appendsThatDoNotContinueEachOtherTravelApart() {
        Message gap = app(14, 3, 12, e(3, 15));
        Message otherTerm = app(12, 2, 12, e(3, 13));
        Message withContext = Message.builder(MessageType.APP).from(L).to(F).term(3).logTerm(3).index(12)
                .commit(12).context(new byte[] {1}).build();
        Message otherPeer = Message.builder(MessageType.APP).from(L).to(3).term(3).logTerm(3).index(12).build();
        Message heartbeat = Message.builder(MessageType.HEARTBEAT).from(L).to(F).term(3).commit(12).build();
        Message first = app(10, 2, 9, e(3, 11), e(3, 12));
        for (Message second : List.of(gap, otherTerm, withContext, otherPeer, heartbeat)) {
            assertThat(coalesced(first, second)).containsExactly(first, second);
        }
        // Only neighbours merge: a heartbeat between two appends keeps all three, in order.
        Message next = app(12, 3, 11, e(3, 13));
        assertThat(coalesced(first, heartbeat, next)).containsExactly(first, heartbeat, next);
    }

    @Test
    void aMergedAppendStaysUnderTheSizeLimit() {
        byte[] half = new byte[(int) MessageCoalescing.MAX_MERGED_ENTRY_BYTES / 2 + 1];
        Message a = app(10, 2, 9, Entry.normal(3, 11, half));
        Message b = app(11, 3, 9, Entry.normal(3, 12, half));
        assertThat(coalesced(a, b)).containsExactly(a, b);
    }

    @Test
    void onlyTheHighestOfAdjacentAcceptedResponsesTravelsAndRejectionsAlwaysDo() {
        assertThat(coalesced(resp(11), resp(13), resp(13))).containsExactly(resp(13));
        Message lower = resp(9);
        assertThat(coalesced(resp(13), lower)).containsExactly(resp(13), lower);
        Message reject = Message.builder(MessageType.APP_RESP).from(F).to(L).term(3).index(12).reject(true)
                .rejectHint(8).build();
        assertThat(coalesced(resp(11), reject, resp(12), resp(14))).containsExactly(resp(11), reject, resp(14));
        assertThat(coalesced(reject, reject)).containsExactly(reject, reject);
    }

    /**
     * Three Raft nodes on a network that queues each member's messages and delivers a random part of
     * a queue at once, coalesced, as the sender does. Every proposal must commit on every member in
     * the same order, with fewer messages on the wire than Raft produced.
     */
    @Test
    void aClusterWhoseMessagesAreCoalescedCommitsEveryProposalEverywhereInOrder() {
        for (long seed = 1; seed <= 20; seed++) {
            SimCluster c = new SimCluster(seed);
            List<String> proposed = c.run(400);
            for (long id : SimCluster.IDS) {
                assertThat(c.applied.get(id)).as("seed %d member %d", seed, id).isEqualTo(proposed);
            }
            assertThat(c.delivered).as("seed %d", seed).isLessThan(c.produced);
            // Nothing is lost or reordered here, so a correct merge never makes a follower refuse.
            assertThat(c.rejections).as("seed %d", seed).isZero();
        }
    }

    /** In-memory nodes, storages and per-receiver queues; everything on the test thread. */
    private static final class SimCluster {
        static final List<Long> IDS = List.of(1L, 2L, 3L);
        final SplittableRandom random;
        final Map<Long, RawNode> nodes = new HashMap<>();
        final Map<Long, MemoryStorage> storages = new HashMap<>();
        final Map<Long, List<Message>> queues = new HashMap<>();
        final Map<Long, List<String>> applied = new HashMap<>();
        int produced;
        int delivered;
        int rejections;

        SimCluster(long seed) {
            random = new SplittableRandom(seed);
            for (long id : IDS) {
                MemoryStorage s = new MemoryStorage();
                RawNode n = new RawNode(RaftConfig.defaults(id).withPreVote(false), s, new SplittableRandom(seed + id));
                n.bootstrap(IDS);
                nodes.put(id, n);
                storages.put(id, s);
                queues.put(id, new ArrayList<>());
                applied.put(id, new ArrayList<>());
            }
        }

        List<String> run(int proposals) {
            for (long id : IDS) { // the bootstrap's conf changes are applied before anyone campaigns
                while (nodes.get(id).hasReady()) {
                    handle(id, nodes.get(id).ready());
                }
            }
            nodes.get(1L).campaign();
            List<String> proposed = new ArrayList<>();
            for (int step = 0; step < 1_000_000 && !(proposed.size() == proposals && quiet()); step++) {
                if (proposed.size() < proposals && nodes.get(1L).status().softState().role()
                        == io.keel.raft.StateRole.LEADER && random.nextInt(3) == 0) {
                    for (int k = random.nextInt(1, 6); k > 0 && proposed.size() < proposals; k--) {
                        String v = "p" + proposed.size();
                        nodes.get(1L).propose(v.getBytes());
                        proposed.add(v);
                    }
                }
                for (long id : IDS) {
                    while (nodes.get(id).hasReady()) {
                        handle(id, nodes.get(id).ready());
                    }
                }
                long to = IDS.get(random.nextInt(IDS.size()));
                List<Message> q = queues.get(to);
                if (!q.isEmpty()) {
                    List<Message> batch = new ArrayList<>(q.subList(0, random.nextInt(1, q.size() + 1)));
                    q.subList(0, batch.size()).clear();
                    MessageCoalescing.coalesce(batch);
                    delivered += batch.size();
                    batch.forEach(nodes.get(to)::step);
                }
            }
            return proposed;
        }

        private boolean quiet() {
            return IDS.stream().allMatch(id -> queues.get(id).isEmpty() && !nodes.get(id).hasReady());
        }

        private void handle(long id, Ready rd) {
            MemoryStorage s = storages.get(id);
            s.append(rd.entries());
            if (rd.hardState() != null && !rd.hardState().equals(HardState.EMPTY)) {
                s.setHardState(rd.hardState());
            }
            for (Message m : rd.messages()) {
                queues.get(m.to()).add(m);
                produced++;
                rejections += m.type() == MessageType.APP_RESP && m.reject() ? 1 : 0;
            }
            for (Entry e : rd.committedEntries()) {
                if (e.type() == EntryType.NORMAL && e.data().length > 0) {
                    applied.get(id).add(new String(e.data()));
                }
            }
            nodes.get(id).advance(rd);
        }
    }
}
