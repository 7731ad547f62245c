package io.keel.raft;

/**
 * The leader's side of ReadIndex (Raft thesis 6.4): a read point is the commit index, valid once
 * the leader has committed an entry of its term and (SAFE) confirmed with a heartbeat quorum that
 * it still leads. Stateless; called only by the owning Raft's thread.
 */
final class ReadIndexes {
    private ReadIndexes() {
    }

    static void onRequest(Raft r, Message m) {
        if (!r.committedEntryInCurrentTerm()) {
            // Until our no-op commits, our commit index may lag the previous leader's.
            r.pendingReadIndexMessages.add(m);
            return;
        }
        confirmAndRespond(r, m);
    }

    private static void confirmAndRespond(Raft r, Message m) {
        assert r.committedEntryInCurrentTerm();
        if (r.tracker.isSingleton() && r.tracker.voters().contains(r.id)) {
            // The only voter is trivially the leader: no heartbeat round. It still waits for its
            // no-op above, which commits only once it is on its own disk.
            respond(r, m, r.log.committed());
            return;
        }
        switch (r.readOnly.option()) {
            case SAFE -> {
                r.readOnly.addRequest(r.log.committed(), m);
                r.readOnly.recvAck(r.id, m.context()); // the leader acknowledges itself
                Replicator.bcastHeartbeatWithContext(r, m.context());
            }
            case LEASE_BASED -> respond(r, m, r.log.committed());
        }
    }

    /** Serves reads held back until this leader committed an entry of its term. */
    static void releasePending(Raft r) {
        if (!r.committedEntryInCurrentTerm() || r.pendingReadIndexMessages.isEmpty()) {
            return;
        }
        var held = r.pendingReadIndexMessages;
        r.pendingReadIndexMessages = new java.util.ArrayList<>();
        for (Message m : held) {
            confirmAndRespond(r, m);
        }
    }

    /** Answers {@code request} with read point {@code index}: locally, or to the forwarding follower. */
    static void respond(Raft r, Message request, long index) {
        if (request.from() == 0 || request.from() == r.id) {
            r.readStates.add(new ReadState(index, request.context()));
            return;
        }
        r.send(Message.builder(MessageType.READ_INDEX_RESP).to(request.from()).index(index)
                .context(request.context()).build());
    }
}
