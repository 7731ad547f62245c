package io.keel.backend.peer;

import com.google.protobuf.UnsafeByteOperations;
import io.keel.api.peer.v1.EntryTrace;
import io.keel.api.peer.v1.RaftMessage;
import io.keel.raft.Entry;
import io.keel.raft.EntryType;
import io.keel.raft.Message;
import io.keel.raft.MessageType;
import io.keel.server.observe.EntryTraces;
import io.keel.server.observe.RequestIds;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries traced entries' span context across the peer hop: a forwarded proposal ({@code PROP})
 * carries the proposer's {@code raft.propose} span, which the leader continues; an append
 * ({@code APP}) starts a {@code raft.replicate} span per traced entry and carries it, which the
 * follower continues until the entry is durable; an append response ends the leader's
 * {@code raft.replicate} spans up to the acknowledged index.
 *
 * <p>Owner: the member's peer transport. Thread-safety: thread-safe ({@link EntryTraces} is).
 */
public final class EntryTraceCarrier implements PeerTraceHooks {
    private final EntryTraces traces;

    public EntryTraceCarrier(EntryTraces traces) {
        this.traces = traces;
    }

    @Override
    public RaftMessage outgoing(Message message, RaftMessage wire) {
        if (!traces.active() || message.entries().isEmpty()
                || (message.type() != MessageType.PROP && message.type() != MessageType.APP)) {
            return wire;
        }
        List<EntryTrace> carried = null;
        for (Entry e : message.entries()) {
            long id = e.type() == EntryType.NORMAL ? RequestIds.of(e.data()) : 0;
            if (id == 0) {
                continue;
            }
            byte[] context = message.type() == MessageType.PROP
                    ? traces.forProposal(id)
                    : traces.forAppend(message.to(), id, e.index());
            if (context == null || context.length == 0) {
                continue;
            }
            if (carried == null) {
                carried = new ArrayList<>(2);
            }
            carried.add(EntryTrace.newBuilder().setRequestId(id).setIndex(e.index())
                    .setContext(UnsafeByteOperations.unsafeWrap(context)).build());
        }
        return carried == null ? wire : wire.toBuilder().addAllEntryTraces(carried).build();
    }

    @Override
    public void incoming(RaftMessage wire) {
        if (wire.getType() == io.keel.api.peer.v1.MessageType.APP_RESP && !wire.getReject()) {
            traces.acknowledged(wire.getFrom(), wire.getIndex());
        }
        for (EntryTrace t : wire.getEntryTracesList()) {
            byte[] context = t.getContext().toByteArray();
            if (wire.getType() == io.keel.api.peer.v1.MessageType.PROP) {
                traces.proposalArrived(t.getRequestId(), context);
            } else if (wire.getType() == io.keel.api.peer.v1.MessageType.APP) {
                traces.appendArrived(t.getRequestId(), t.getIndex(), context);
            }
        }
    }
}
