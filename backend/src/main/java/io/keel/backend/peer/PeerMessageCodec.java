package io.keel.backend.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.keel.api.peer.v1.RaftMessage;
import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.EntryType;
import io.keel.raft.Message;
import io.keel.raft.MessageType;
import io.keel.raft.Snapshot;
import io.keel.raft.SnapshotMetadata;
import java.util.HashSet;
import java.util.List;

/**
 * Converts Raft messages to and from the keel.peer.v1 wire form, field for field. Byte arrays are
 * wrapped, not copied: Raft values are immutable by contract. Stateless; thread-safe.
 */
public final class PeerMessageCodec {
    private PeerMessageCodec() {
    }

    public static RaftMessage encode(Message m) {
        RaftMessage.Builder b = RaftMessage.newBuilder()
                .setType(io.keel.api.peer.v1.MessageType.forNumber(m.type().ordinal()))
                .setTo(m.to()).setFrom(m.from()).setTerm(m.term()).setLogTerm(m.logTerm()).setIndex(m.index())
                .setCommit(m.commit()).setReject(m.reject()).setRejectHint(m.rejectHint())
                .setContext(wrap(m.context())).setCommitOnly(m.commitOnly());
        for (Entry e : m.entries()) {
            b.addEntries(io.keel.api.peer.v1.Entry.newBuilder().setTerm(e.term()).setIndex(e.index())
                    .setType(io.keel.api.peer.v1.EntryType.forNumber(e.type().ordinal())).setData(wrap(e.data())));
        }
        if (!m.snapshot().isEmpty()) {
            b.setSnapshot(encode(m.snapshot()));
        }
        return b.build();
    }

    public static Message decode(RaftMessage w) {
        List<Entry> entries = w.getEntriesList().stream()
                .map(e -> new Entry(e.getTerm(), e.getIndex(), EntryType.values()[e.getTypeValue()], e.getData().toByteArray()))
                .toList();
        return Message.builder(MessageType.values()[w.getTypeValue()])
                .to(w.getTo()).from(w.getFrom()).term(w.getTerm()).logTerm(w.getLogTerm()).index(w.getIndex())
                .entries(entries).commit(w.getCommit()).reject(w.getReject()).rejectHint(w.getRejectHint())
                .context(w.getContext().toByteArray()).commitOnly(w.getCommitOnly())
                .snapshot(w.hasSnapshot() ? decode(w.getSnapshot()) : Snapshot.EMPTY)
                .build();
    }

    static io.keel.api.peer.v1.Snapshot encode(Snapshot s) {
        SnapshotMetadata md = s.metadata();
        return io.keel.api.peer.v1.Snapshot.newBuilder()
                .setMetadata(io.keel.api.peer.v1.SnapshotMetadata.newBuilder().setIndex(md.index()).setTerm(md.term())
                        .setConfState(io.keel.api.peer.v1.ConfState.newBuilder()
                                .addAllVoters(md.confState().voters()).addAllLearners(md.confState().learners())))
                .setData(wrap(s.data())).build();
    }

    static Snapshot decode(io.keel.api.peer.v1.Snapshot s) {
        io.keel.api.peer.v1.SnapshotMetadata md = s.getMetadata();
        ConfState cs = new ConfState(new HashSet<>(md.getConfState().getVotersList()),
                new HashSet<>(md.getConfState().getLearnersList()));
        return new Snapshot(new SnapshotMetadata(cs, md.getIndex(), md.getTerm()), s.getData().toByteArray());
    }

    private static ByteString wrap(byte[] bytes) {
        return UnsafeByteOperations.unsafeWrap(bytes);
    }
}
