package io.keel.raft.sim;

import io.keel.raft.Entry;
import io.keel.raft.HardState;
import io.keel.raft.RaftStorage;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The history of one run and the Raft safety properties checked against it as it grows. Every
 * check is incremental (it looks at what just happened against what is remembered), so it can run
 * after every step. The simulation feeds it; tests feed it hand-built histories. A broken property
 * throws {@link InvariantViolation}. Owned by one {@link Simulation}; not thread-safe.
 */
final class Invariants {
    static final String ONE_LEADER_PER_TERM = "at most one leader per term";
    static final String LOG_MATCHING = "log matching";
    static final String LEADER_COMPLETENESS = "leader completeness";
    static final String STATE_MACHINE_SAFETY = "state machine safety";
    static final String INDEX_ORDER = "applied <= committed <= last index";
    static final String DURABLE_TERM = "terms never decrease across restart";
    static final String DURABLE_VOTE = "a vote is never changed within a term";
    static final String PERSIST_BEFORE_SEND = "persist before send";
    static final String ONLY_VOTERS_LEAD = "only voters lead";
    static final String LEADER_APPEND_ONLY = "a leader never overwrites its log";
    static final String COMMIT_NEEDS_QUORUM = "a leader commits only what a majority of voters holds durably";
    static final String COMMITTED_NEVER_OVERWRITTEN = "committed entries are never overwritten";
    static final String LINEARIZABLE_READ = "ReadIndex reads are linearizable";

    private record IndexTerm(long index, long term) {
    }

    /** What every log holding entry (index, term) must agree on. */
    private record EntryFacts(long dataHash, long previousTerm, long firstSeenOn) {
    }

    private record NodeTerm(long node, long term) {
    }

    /** What a read must observe: per register, the index of the newest write acknowledged before it. */
    record ReadRequest(long[] requiredWriteIndexByKey) {
    }

    private final Map<Long, Long> leaderByTerm = new HashMap<>();
    private final Map<Long, HardState> durableByNode = new HashMap<>();
    private final Map<NodeTerm, Long> voteGranted = new HashMap<>();
    private final Map<IndexTerm, EntryFacts> entries = new HashMap<>();
    private final Map<Long, Long> appliedByNode = new HashMap<>();
    private final GrowableLongs committedTerm = new GrowableLongs();
    private final GrowableLongs committedInTerm = new GrowableLongs();
    private final GrowableLongs chainAt = new GrowableLongs();
    private final long[] ackedWriteIndexByKey = new long[KvStateMachine.KEYS];
    private long readsChecked;

    /**
     * {@code node} became leader of {@code term}; {@code log} is its log (all of it persisted). It
     * must hold every entry committed in an earlier term.
     */
    void leaderElected(long node, long term, RaftStorage log) {
        Long other = leaderByTerm.putIfAbsent(term, node);
        if (other != null && other != node) {
            throw new InvariantViolation(ONE_LEADER_PER_TERM,
                    "nodes " + other + " and " + node + " both led term " + term);
        }
        long snapshotIndex = log.firstIndex() - 1;
        for (long i = Math.max(1, snapshotIndex); i <= committedTerm.max(); i++) {
            long want = committedTerm.get(i);
            if (want == 0 || committedInTerm.get(i) >= term) {
                continue;
            }
            long have = i <= log.lastIndex() ? log.term(i) : -1;
            if (have != want) {
                throw new InvariantViolation(LEADER_COMPLETENESS, "leader " + node + " of term " + term
                        + " lacks committed entry " + i + " (term " + want + "); its log has "
                        + (have < 0 ? "nothing there, last index " + log.lastIndex() : "term " + have));
            }
        }
    }

    /** {@code node} made {@code next} durable. */
    void hardStatePersisted(long node, HardState next) {
        HardState prev = durableByNode.getOrDefault(node, HardState.EMPTY);
        checkNoRegression(node, prev, next, "persisted");
        if (next.commit() < prev.commit()) {
            throw new InvariantViolation(INDEX_ORDER, "node " + node + " persisted commit " + next.commit()
                    + " below its durable commit " + prev.commit());
        }
        durableByNode.put(node, next);
    }

    /** {@code node} crashed and lost hard state written without a barrier; {@code synced} survived. */
    void unsyncedHardStateLost(long node, HardState synced) {
        HardState lost = durableByNode.getOrDefault(node, HardState.EMPTY);
        if (lost.term() != synced.term() || lost.vote() != synced.vote()) {
            throw new InvariantViolation(DURABLE_VOTE, "node " + node + " wrote term/vote " + lost
                    + " without a durability barrier (Ready.mustSync() was false); " + synced + " survived");
        }
        durableByNode.put(node, synced);
    }

    /** {@code node} restarted and reports {@code current} as its hard state. */
    void restarted(long node, HardState current) {
        checkNoRegression(node, durableByNode.getOrDefault(node, HardState.EMPTY), current, "restarted with");
    }

    private static void checkNoRegression(long node, HardState durable, HardState next, String what) {
        if (next.term() < durable.term()) {
            throw new InvariantViolation(DURABLE_TERM, "node " + node + " " + what + " term " + next.term()
                    + " after durable term " + durable.term());
        }
        if (next.term() == durable.term() && durable.vote() != 0 && next.vote() != durable.vote()) {
            throw new InvariantViolation(DURABLE_VOTE, "node " + node + " " + what + " vote " + next.vote()
                    + " in term " + next.term() + " after voting " + durable.vote());
        }
    }

    /** {@code node} sends a vote for {@code candidate} in {@code term}, with {@code durable} on disk. */
    void voteGranted(long node, long term, long candidate, HardState durable) {
        if (durable.term() != term || durable.vote() != candidate) {
            throw new InvariantViolation(PERSIST_BEFORE_SEND, "node " + node + " granted its term-" + term
                    + " vote to " + candidate + " but its durable hard state is " + durable);
        }
        Long earlier = voteGranted.putIfAbsent(new NodeTerm(node, term), candidate);
        if (earlier != null && earlier != candidate) {
            throw new InvariantViolation(DURABLE_VOTE, "node " + node + " voted for " + earlier + " and "
                    + candidate + " in term " + term);
        }
    }

    /** {@code node} acknowledges its log up to {@code index}; its durable log ends at {@code durableLast}. */
    void appendAcked(long node, long index, long durableLast) {
        if (index > durableLast) {
            throw new InvariantViolation(PERSIST_BEFORE_SEND, "node " + node + " acknowledged index " + index
                    + " but its durable log ends at " + durableLast);
        }
    }

    /**
     * {@code node} persisted {@code appended}, contiguous entries whose predecessor in its log has
     * term {@code previousTerm}. Any two logs holding the same (index, term) must agree on the
     * entry and on the term before it, which by induction is the whole of log matching.
     */
    void entriesPersisted(long node, long previousTerm, Iterable<Entry> appended) {
        long prevTerm = previousTerm;
        for (Entry e : appended) {
            EntryFacts mine = new EntryFacts(dataHash(e), prevTerm, node);
            EntryFacts seen = entries.putIfAbsent(new IndexTerm(e.index(), e.term()), mine);
            if (seen != null && (seen.dataHash != mine.dataHash || seen.previousTerm != mine.previousTerm)) {
                throw new InvariantViolation(LOG_MATCHING, "entry " + e.index() + "/term " + e.term() + " on node "
                        + node + " differs from node " + seen.firstSeenOn + "'s "
                        + (seen.dataHash != mine.dataHash ? "(different data)"
                        : "(preceding terms " + prevTerm + " vs " + seen.previousTerm + ")"));
            }
            prevTerm = e.term();
        }
    }

    /**
     * {@code node} is about to persist entries starting at {@code firstIndex} over a log ending at
     * {@code lastIndex}. A leader that stays leader only appends.
     */
    void leaderAppends(long node, long term, long firstIndex, long lastIndex) {
        if (firstIndex != lastIndex + 1) {
            throw new InvariantViolation(LEADER_APPEND_ONLY, "leader " + node + " of term " + term
                    + " wrote entries from index " + firstIndex + " over its log ending at " + lastIndex);
        }
    }

    /** {@code node} replaces its entry at {@code index} (term {@code oldTerm}) while it has committed {@code commit}. */
    void entryReplaced(long node, long index, long oldTerm, long newTerm, long commit) {
        if (index <= commit && oldTerm != newTerm) {
            throw new InvariantViolation(COMMITTED_NEVER_OVERWRITTEN, "node " + node + " replaced committed entry "
                    + index + " of term " + oldTerm + " (commit " + commit + ") with one of term " + newTerm);
        }
    }

    /**
     * Leader {@code node} advanced its commit index to {@code index} (term {@code term}): a majority
     * of {@code voters} must hold that entry on disk, or a snapshot covering it.
     */
    void leaderCommitted(long node, long index, long term, java.util.Set<Long> voters,
                         java.util.function.LongFunction<RaftStorage> diskOf) {
        int holders = 0;
        for (long v : voters) {
            RaftStorage d = diskOf.apply(v);
            if (d == null) {
                continue;
            }
            long snapshotIndex = d.firstIndex() - 1;
            if (index <= snapshotIndex || (index <= d.lastIndex() && d.term(index) == term)) {
                holders++;
            }
        }
        if (holders <= voters.size() / 2) {
            throw new InvariantViolation(COMMIT_NEEDS_QUORUM, "leader " + node + " committed index " + index
                    + " (term " + term + ") held by only " + holders + " of voters " + voters);
        }
    }

    /** Entry {@code index} of term {@code term} is known committed, by the leader of that same term. */
    void committed(long node, long index, long term) {
        committed(node, index, term, term);
    }

    /**
     * Entry {@code index} of term {@code term} is known committed by {@code node} while in term
     * {@code inTerm}. The smallest such term bounds when it was committed: only leaders of later
     * terms must hold it (a leader of an older term may still win its election late, from a
     * delayed vote, without it).
     */
    void committed(long node, long index, long term, long inTerm) {
        long known = committedTerm.get(index);
        if (known != 0 && known != term) {
            throw new InvariantViolation(STATE_MACHINE_SAFETY, "node " + node + " committed term " + term
                    + " at index " + index + " where term " + known + " was committed");
        }
        committedTerm.set(index, term);
        long seenIn = committedInTerm.get(index);
        if (seenIn == 0 || inTerm < seenIn) {
            committedInTerm.set(index, inTerm);
        }
    }

    /** {@code node} applied {@code e}, reaching state-machine hash chain {@code chain}. */
    void applied(long node, Entry e, long chain) {
        long last = appliedByNode.getOrDefault(node, 0L);
        if (e.index() != last + 1) {
            throw new InvariantViolation(STATE_MACHINE_SAFETY, "node " + node + " applied index " + e.index()
                    + " right after " + last);
        }
        appliedByNode.put(node, e.index());
        // Applied means committed, but the applier's term says nothing of when: the commit was
        // recorded with its term when the hard state carrying it was persisted.
        committed(node, e.index(), e.term(), Long.MAX_VALUE);
        checkChain(node, e.index(), chain);
    }

    /** {@code node} restored a state machine at {@code index} (a snapshot, or on restart). */
    void restored(long node, long index, long chain) {
        appliedByNode.put(node, index);
        if (index > 0) {
            checkChain(node, index, chain);
        }
    }

    private void checkChain(long node, long index, long chain) {
        long known = chainAt.get(index);
        if (known != 0 && known != chain) {
            throw new InvariantViolation(STATE_MACHINE_SAFETY, "node " + node + " applied a different sequence"
                    + " of entries up to index " + index + " than another member");
        }
        chainAt.set(index, chain);
    }

    /** After every step: each member's applied <= committed <= last index. */
    void indexes(long node, long applied, long commit, long lastIndex) {
        if (applied > commit || commit > lastIndex) {
            throw new InvariantViolation(INDEX_ORDER, "node " + node + " has applied " + applied + ", committed "
                    + commit + ", last index " + lastIndex);
        }
    }

    /** A client saw its write to {@code key} (at {@code index}) applied: it is acknowledged. */
    void writeAcknowledged(int key, long index) {
        ackedWriteIndexByKey[key] = Math.max(ackedWriteIndexByKey[key], index);
    }

    /** A client asks for a linearizable read now; remember what it must see. */
    ReadRequest readRequested() {
        return new ReadRequest(ackedWriteIndexByKey.clone());
    }

    /** {@code node} served {@code request} at read index {@code readIndex} from {@code sm}. */
    void readServed(long node, ReadRequest request, long readIndex, KvStateMachine sm) {
        if (sm.appliedIndex() < readIndex) {
            throw new InvariantViolation(LINEARIZABLE_READ, "node " + node + " served read index " + readIndex
                    + " having applied only " + sm.appliedIndex());
        }
        for (int k = 0; k < KvStateMachine.KEYS; k++) {
            long required = request.requiredWriteIndexByKey()[k];
            if (sm.writeIndexOf(k) < required) {
                throw new InvariantViolation(LINEARIZABLE_READ, "node " + node + " read key " + k + " at read index "
                        + readIndex + " and saw the write at index " + sm.writeIndexOf(k)
                        + ", but the write at index " + required + " was acknowledged before the read began");
            }
        }
        readsChecked++;
    }

    /** How many reads were checked, and how many terms had a leader: proof the run exercised them. */
    long readsChecked() {
        return readsChecked;
    }

    long termsWithLeader() {
        return leaderByTerm.size();
    }

    private static long dataHash(Entry e) {
        return Arrays.hashCode(e.data()) * 31L + e.type().ordinal();
    }

    /** A dense index -> value table that grows on demand; 0 means unknown. */
    private static final class GrowableLongs {
        private long[] values = new long[256];
        private long max;

        long get(long index) {
            return index < values.length ? values[(int) index] : 0;
        }

        void set(long index, long value) {
            if (index >= values.length) {
                values = Arrays.copyOf(values, (int) Math.max(index + 1, values.length * 2L));
            }
            values[(int) index] = value;
            max = Math.max(max, index);
        }

        long max() {
            return max;
        }
    }
}
