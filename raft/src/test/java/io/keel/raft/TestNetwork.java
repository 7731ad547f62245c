package io.keel.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A small deterministic network of {@link TestNode}s for multi-member unit tests: messages are
 * delivered in FIFO order until the cluster is quiet; links can be cut, members isolated, and
 * messages dropped by a filter. No randomness except each member's seeded election timeouts.
 * Test-thread only.
 */
final class TestNetwork {
    /** Bound on delivery rounds so a livelock fails the test instead of hanging it. */
    private static final int MAX_ROUNDS = 10_000;

    final Map<Long, TestNode> nodes = new TreeMap<>();
    private final Set<String> cutLinks = new HashSet<>();
    private final Set<Long> down = new HashSet<>();
    private Predicate<Message> dropFilter = m -> false;
    final List<Message> delivered = new ArrayList<>();

    /** A bootstrapped cluster of members 1..n, all voters. */
    static TestNetwork of(int n, UnaryOperator<RaftConfig> configure) {
        TestNetwork net = new TestNetwork();
        List<Long> voters = new ArrayList<>();
        for (long id = 1; id <= n; id++) {
            voters.add(id);
        }
        for (long id : voters) {
            TestNode node = new TestNode(id, 1000 + id, configure);
            node.node.bootstrap(voters);
            net.nodes.put(id, node);
        }
        net.stabilize();
        return net;
    }

    static TestNetwork of(int n) {
        return of(n, c -> c);
    }

    /** Adds a member with empty storage (not bootstrapped), as a server joining the cluster. */
    TestNode addEmptyNode(long id, UnaryOperator<RaftConfig> configure) {
        TestNode node = new TestNode(id, 1000 + id, configure);
        nodes.put(id, node);
        return node;
    }

    TestNode node(long id) {
        return nodes.get(id);
    }

    void cut(long a, long b) {
        cutLinks.add(a + "-" + b);
        cutLinks.add(b + "-" + a);
    }

    void isolate(long id) {
        for (long other : nodes.keySet()) {
            if (other != id) {
                cut(id, other);
            }
        }
    }

    void heal() {
        cutLinks.clear();
        dropFilter = m -> false;
    }

    /** Stops a member: it neither receives messages nor ticks until {@link #start}. */
    void stop(long id) {
        down.add(id);
    }

    void start(long id) {
        down.remove(id);
    }

    void dropIf(Predicate<Message> filter) {
        this.dropFilter = filter;
    }

    private boolean deliverable(Message m) {
        return !down.contains(m.to()) && !down.contains(m.from()) && !cutLinks.contains(m.from() + "-" + m.to())
                && !dropFilter.test(m) && nodes.containsKey(m.to());
    }

    /** Handles Readies and delivers messages until no member has anything left to do. */
    void stabilize() {
        ArrayDeque<Message> queue = new ArrayDeque<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            for (TestNode n : nodes.values()) {
                if (!down.contains(n.id)) {
                    queue.addAll(n.handleReady());
                }
            }
            if (queue.isEmpty() && !anyReady()) {
                return; // (a leader's own persistence can commit without any message)
            }
            while (!queue.isEmpty()) {
                Message m = queue.poll();
                if (deliverable(m)) {
                    delivered.add(m);
                    nodes.get(m.to()).node.step(m);
                }
            }
        }
        throw new AssertionError("network did not stabilize within " + MAX_ROUNDS + " rounds");
    }

    private boolean anyReady() {
        for (TestNode n : nodes.values()) {
            if (!down.contains(n.id) && n.node.hasReady()) {
                return true;
            }
        }
        return false;
    }

    /** Ticks every running member once, then stabilizes. */
    void tickAll() {
        for (TestNode n : nodes.values()) {
            if (!down.contains(n.id)) {
                n.node.tick();
            }
        }
        stabilize();
    }

    void tickAll(int times) {
        for (int i = 0; i < times; i++) {
            tickAll();
        }
    }

    void campaign(long id) {
        nodes.get(id).node.campaign();
        stabilize();
    }

    void propose(long id, String data) {
        nodes.get(id).node.propose(RaftTests.bytes(data));
        stabilize();
    }

    /** The members that currently believe they lead, among running ones. */
    List<Long> leaders() {
        List<Long> out = new ArrayList<>();
        for (TestNode n : nodes.values()) {
            if (!down.contains(n.id) && n.status().softState().role() == StateRole.LEADER) {
                out.add(n.id);
            }
        }
        return out;
    }

    /** Ticks until some running member leads; fails after a bound. */
    long awaitLeader() {
        for (int i = 0; i < 20 * RaftTests.ELECTION; i++) {
            List<Long> leaders = leaders();
            if (leaders.size() == 1) {
                return leaders.get(0);
            }
            tickAll();
        }
        throw new AssertionError("no leader elected");
    }
}
