package io.keel.backend.peer;

import io.keel.raft.Entry;
import io.keel.raft.Message;
import io.keel.raft.MessageType;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges adjacent Raft messages to one peer into the one message the receiver would handle the same
 * way, before the sender writes them. Under load a leader's Raft produces several appends per
 * follower between two writes (one per proposal batch, one per commit advance) and a follower one
 * response per append; each message costs an encode, an HTTP/2 write, a decode and a Raft step on
 * both members, and every response may trigger more appends. Measured with 100 clients: about two
 * appends per put per follower, most carrying no entry, and 25 messages queued per write.
 *
 * <p>Two rules, both applied only to messages with the same type, sender, receiver and term, no
 * context and no snapshot:
 * <ul>
 *   <li><b>APP then APP</b> where the second continues the first (its index is the first's last
 *       entry, its log term that entry's term): one APP with the first's index and log term, both
 *       entry lists and the second's commit. A follower appends and commits exactly what the two
 *       would have given it, in one step, and answers once with the same last index. Merged entries
 *       stay under {@link #MAX_MERGED_ENTRY_BYTES}. The merge is commit-only (goes unanswered) only
 *       when both were.</li>
 *   <li><b>accepted APP_RESP then accepted APP_RESP</b> with an index at least as high: the second
 *       alone. The leader only moves a follower's match index forward, so the higher index says
 *       everything the lower one did. Rejections always travel.</li>
 * </ul>
 * Raft tolerates lost, duplicated and reordered messages, so neither rule can break safety; both
 * keep the send order of what remains.
 *
 * <p>Stateless; thread-safe.
 */
final class MessageCoalescing {
    /** Largest total entry payload of a merged APP (etcd's default max size per append). */
    static final long MAX_MERGED_ENTRY_BYTES = 1 << 20;

    private MessageCoalescing() {
    }

    /** Replaces the messages in {@code batch} (send order, one receiver or several) by their merge. */
    static void coalesce(List<Message> batch) {
        int kept = 0;
        for (int i = 0; i < batch.size(); i++) {
            Message m = batch.get(i);
            Message merged = kept == 0 ? null : merge(batch.get(kept - 1), m);
            if (merged != null) {
                batch.set(kept - 1, merged);
            } else {
                batch.set(kept++, m);
            }
        }
        batch.subList(kept, batch.size()).clear();
    }

    /** The one message equivalent to {@code a} followed by {@code b}, or null when there is none. */
    static Message merge(Message a, Message b) {
        if (a.type() != b.type() || a.to() != b.to() || a.from() != b.from() || a.term() != b.term()
                || a.context().length != 0 || b.context().length != 0
                || !a.snapshot().isEmpty() || !b.snapshot().isEmpty()) {
            return null;
        }
        if (a.type() == MessageType.APP) {
            return appends(a, b);
        }
        if (a.type() == MessageType.APP_RESP && !a.reject() && !b.reject() && b.index() >= a.index()) {
            return b;
        }
        return null;
    }

    private static Message appends(Message a, Message b) {
        List<Entry> first = a.entries();
        long last = a.index() + first.size();
        long lastTerm = first.isEmpty() ? a.logTerm() : first.get(first.size() - 1).term();
        if ((!first.isEmpty() && first.get(first.size() - 1).index() != last)
                || b.index() != last || b.logTerm() != lastTerm || b.commit() < a.commit()) {
            return null;
        }
        // The merged APP goes unanswered only if neither would have been answered.
        boolean commitOnly = a.commitOnly() && b.commitOnly();
        if (b.entries().isEmpty()) {
            return b.commit() == a.commit() && a.commitOnly() == commitOnly ? a : with(a, first, b.commit(), commitOnly);
        }
        if (first.isEmpty()) {
            // same index and log term as a, a commit at least as high
            return b.commitOnly() == commitOnly ? b : with(b, b.entries(), b.commit(), commitOnly);
        }
        if (bytes(first) + bytes(b.entries()) > MAX_MERGED_ENTRY_BYTES) {
            return null;
        }
        List<Entry> both = new ArrayList<>(first.size() + b.entries().size());
        both.addAll(first);
        both.addAll(b.entries());
        return with(a, both, b.commit(), commitOnly);
    }

    private static Message with(Message a, List<Entry> entries, long commit, boolean commitOnly) {
        return new Message(a.type(), a.to(), a.from(), a.term(), a.logTerm(), a.index(), entries, commit,
                a.snapshot(), a.reject(), a.rejectHint(), a.context(), commitOnly);
    }

    private static long bytes(List<Entry> entries) {
        long n = 0;
        for (Entry e : entries) {
            n += e.data().length;
        }
        return n;
    }
}
