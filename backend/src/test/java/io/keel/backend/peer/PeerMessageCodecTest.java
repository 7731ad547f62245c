package io.keel.backend.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.peer.v1.RaftMessage;
import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.Message;
import io.keel.raft.MessageType;
import io.keel.raft.Snapshot;
import io.keel.raft.SnapshotMetadata;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerMessageCodecTest {

    private static Message roundTrip(Message m) throws Exception {
        return PeerMessageCodec.decode(RaftMessage.parseFrom(PeerMessageCodec.encode(m).toByteArray()));
    }

    @Test
    void everyFieldOfAnAppSurvivesTheWire() throws Exception {
        Message m = Message.builder(MessageType.APP).to(2).from(1).term(7).logTerm(6).index(41).commit(40)
                .entries(List.of(Entry.normal(7, 42, new byte[] {1, 2, 3}), Entry.normal(7, 43, new byte[0])))
                .context(new byte[] {9}).build();
        assertThat(roundTrip(m)).isEqualTo(m);
    }

    @Test
    void theCommitOnlyMarkSurvivesTheWireAndIsAbsentByDefault() throws Exception {
        Message plain = Message.builder(MessageType.APP).to(2).from(1).term(7).logTerm(7).index(43).commit(43).build();
        Message marked = Message.builder(MessageType.APP).to(2).from(1).term(7).logTerm(7).index(43).commit(43)
                .commitOnly(true).build();
        assertThat(roundTrip(plain).commitOnly()).isFalse();
        assertThat(roundTrip(marked).commitOnly()).isTrue();
        assertThat(roundTrip(marked)).isEqualTo(marked);
        // A member that predates the field sends it unset: its APPs are answered as before.
        assertThat(PeerMessageCodec.encode(plain).getCommitOnly()).isFalse();
        assertThat(PeerMessageCodec.encode(marked).getCommitOnly()).isTrue();
    }

    @Test
    void rejectionsAndSnapshotsSurviveTheWire() throws Exception {
        Message rej = Message.builder(MessageType.APP_RESP).to(1).from(3).term(7).index(50).reject(true)
                .rejectHint(45).logTerm(5).build();
        assertThat(roundTrip(rej)).isEqualTo(rej);
        Snapshot snap = new Snapshot(new SnapshotMetadata(new ConfState(Set.of(1L, 2L, 3L), Set.of(4L)), 100, 6),
                new byte[] {4, 5});
        Message s = Message.builder(MessageType.SNAP).to(4).from(1).term(7).snapshot(snap).build();
        assertThat(roundTrip(s).snapshot().metadata()).isEqualTo(snap.metadata());
        assertThat(roundTrip(s).snapshot().data()).containsExactly(4, 5);
    }
}
