package io.keel.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Helpers for tests that drive the {@link Raft} state machine directly (etcd's raft_test style):
 * build a member with a given configuration, build messages, drain outgoing messages.
 * Static and stateless; test-thread only.
 */
final class RaftTests {
    static final int ELECTION = 10;
    static final int HEARTBEAT = 1;

    /** The storage each member built here was given, so tests can persist without holding it. */
    private static final Map<Raft, MemoryStorage> DISKS = Collections.synchronizedMap(new WeakHashMap<>());

    private RaftTests() {
    }

    static RaftConfig config(long id) {
        return RaftConfig.defaults(id).withTicks(ELECTION, HEARTBEAT);
    }

    /** A member with no pre-vote and no check-quorum, as etcd's paper tests use. */
    static Raft plainRaft(long id, long... peers) {
        return newRaft(config(id).withPreVote(false).withCheckQuorum(false), new MemoryStorage(), peers);
    }

    static Raft newRaft(RaftConfig config, MemoryStorage storage, long... peers) {
        Raft r = new Raft(config, storage, new SplittableRandom(config.id() * 7919L));
        DISKS.put(r, storage);
        for (long p : peers) {
            if (!r.tracker.confState().contains(p)) {
                r.applyConfChange(new ConfChange(ConfChangeType.ADD_NODE, p, null));
            }
        }
        return r;
    }

    /** Removes and returns the messages {@code r} produced so far. */
    static List<Message> drain(Raft r) {
        List<Message> out = r.msgs;
        r.msgs = new ArrayList<>();
        return out;
    }

    static Message msg(MessageType type, long from, long to, long term) {
        return Message.builder(type).from(from).to(to).term(term).build();
    }

    static Message.Builder builder(MessageType type, long from, long to, long term) {
        return Message.builder(type).from(from).to(to).term(term);
    }

    /** A local proposal of one entry carrying {@code data}, as member 1's application makes it. */
    static Message proposal(String data) {
        return builder(MessageType.PROP, 1, 1, 0).entries(List.of(entry(0, 0, data))).build();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Entry entry(long term, long index) {
        return Entry.normal(term, index, null);
    }

    static Entry entry(long term, long index, String data) {
        return Entry.normal(term, index, bytes(data));
    }

    /** Storage already holding {@code entries} (from index 1), as a member restarted with that log. */
    static MemoryStorage storageWith(Entry... entries) {
        MemoryStorage s = new MemoryStorage();
        s.append(List.of(entries));
        return s;
    }

    /** Elects {@code r} in a one-member-at-a-time fashion: campaign and grant all votes. */
    static void electLeader(Raft r) {
        r.becomeCandidate();
        Elections.poll(r, r.id, true);
        for (long voter : r.tracker.voters()) {
            if (voter != r.id && r.state == StateRole.CANDIDATE) {
                r.step(msg(MessageType.VOTE_RESP, voter, r.id, r.term));
            }
        }
        if (r.state != StateRole.LEADER) {
            throw new AssertionError("not elected: " + r.state);
        }
        persist(r); // the no-op: the leader's own copy counts from here on
        drain(r);
    }

    /** Acknowledges the leader's log from every follower, so all are in replicate state. */
    static void commitNoop(Raft r) {
        for (long voter : r.tracker.progressMap().keySet()) {
            if (voter != r.id) {
                r.step(Message.builder(MessageType.APP_RESP).from(voter).to(r.id).term(r.term)
                        .index(r.log.lastIndex()).build());
            }
        }
        drain(r);
    }

    /**
     * Persists the unstable log as the application would and reports it (a leader then counts
     * its own copy toward the quorum).
     */
    static void persist(Raft r, MemoryStorage storage) {
        List<Entry> unstable = r.log.unstableEntries();
        storage.append(unstable);
        if (!unstable.isEmpty()) {
            r.advance(0, unstable.get(unstable.size() - 1), 0, List.of());
        }
    }

    /** {@link #persist(Raft, MemoryStorage)} on the storage the member was built with. */
    static void persist(Raft r) {
        MemoryStorage disk = DISKS.get(r);
        if (disk == null) {
            throw new IllegalStateException("not built by RaftTests.newRaft: persist(r, storage) instead");
        }
        persist(r, disk);
    }
}
