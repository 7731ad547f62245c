package io.keel.raft;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A message between Raft members (or a local one to itself). Immutable value; thread-safe.
 * Field meanings follow etcd's raftpb.Message; unused fields are 0 / empty.
 *
 * @param type       what the message is
 * @param to         receiver id
 * @param from       sender id
 * @param term       sender's term; 0 for local messages and proposals
 * @param logTerm    term of the entry at {@code index} (APP: the entry preceding {@code entries})
 * @param index      log position the message talks about
 * @param entries    entries carried (APP, PROP), never null
 * @param commit     sender's commit index (APP, HEARTBEAT)
 * @param snapshot   snapshot carried by SNAP, else {@link Snapshot#EMPTY}
 * @param reject     true when a response rejects
 * @param rejectHint on a rejected APP_RESP, the follower's hint for fast backtracking
 * @param context    opaque bytes: ReadIndex request context, campaign/transfer marker
 * @param commitOnly on an APP without entries to a follower in steady replication: it only carries
 *                   the commit index, so the follower does not answer it when it accepts (Keel's
 *                   own field; a rejection is always answered)
 */
public record Message(MessageType type, long to, long from, long term, long logTerm, long index,
                      List<Entry> entries, long commit, Snapshot snapshot, boolean reject,
                      long rejectHint, byte[] context, boolean commitOnly) {
    private static final byte[] EMPTY = new byte[0];

    public Message {
        Objects.requireNonNull(type, "type");
        entries = entries == null ? List.of() : List.copyOf(entries);
        snapshot = snapshot == null ? Snapshot.EMPTY : snapshot;
        context = context == null ? EMPTY : context;
    }

    /** Starts a builder for a message of the given kind. */
    public static Builder builder(MessageType type) {
        return new Builder(type);
    }

    /** A copy with the given term (used when stamping outgoing messages). */
    public Message withTerm(long newTerm) {
        return new Message(type, to, from, newTerm, logTerm, index, entries, commit, snapshot, reject,
                rejectHint, context, commitOnly);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && m.type == type && m.to == to && m.from == from && m.term == term
                && m.logTerm == logTerm && m.index == index && m.entries.equals(entries) && m.commit == commit
                && m.snapshot.equals(snapshot) && m.reject == reject && m.rejectHint == rejectHint
                && Arrays.equals(m.context, context) && m.commitOnly == commitOnly;
    }

    @Override
    public int hashCode() {
        return (Objects.hash(type, to, from, term, logTerm, index, entries, commit, snapshot, reject, rejectHint)
                * 31 + Arrays.hashCode(context)) * 31 + Boolean.hashCode(commitOnly);
    }

    @Override
    public String toString() {
        return type + "{" + from + "->" + to + " t" + term + " lt" + logTerm + " i" + index + " c" + commit
                + (entries.isEmpty() ? "" : " e" + entries.size())
                + (snapshot.isEmpty() ? "" : " snap@" + snapshot.metadata().index())
                + (reject ? " reject hint=" + rejectHint : "") + (commitOnly ? " commit-only" : "") + "}";
    }

    /** Mutable builder for {@link Message}; not thread-safe, confined to its creator. */
    public static final class Builder {
        private final MessageType type;
        private long to;
        private long from;
        private long term;
        private long logTerm;
        private long index;
        private List<Entry> entries = List.of();
        private long commit;
        private Snapshot snapshot = Snapshot.EMPTY;
        private boolean reject;
        private long rejectHint;
        private byte[] context = EMPTY;
        private boolean commitOnly;

        private Builder(MessageType type) {
            this.type = type;
        }

        public Builder to(long v) { this.to = v; return this; }
        public Builder from(long v) { this.from = v; return this; }
        public Builder term(long v) { this.term = v; return this; }
        public Builder logTerm(long v) { this.logTerm = v; return this; }
        public Builder index(long v) { this.index = v; return this; }
        public Builder entries(List<Entry> v) { this.entries = v; return this; }
        public Builder commit(long v) { this.commit = v; return this; }
        public Builder snapshot(Snapshot v) { this.snapshot = v; return this; }
        public Builder reject(boolean v) { this.reject = v; return this; }
        public Builder rejectHint(long v) { this.rejectHint = v; return this; }
        public Builder context(byte[] v) { this.context = v; return this; }
        public Builder commitOnly(boolean v) { this.commitOnly = v; return this; }

        public Message build() {
            return new Message(type, to, from, term, logTerm, index, entries, commit, snapshot, reject,
                    rejectHint, context, commitOnly);
        }
    }
}
