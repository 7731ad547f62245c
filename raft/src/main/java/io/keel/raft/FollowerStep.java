package io.keel.raft;

/**
 * Message handling of a follower (and learner): accept the leader's log, forward proposals,
 * ReadIndex and transfer requests to it, and campaign on TIMEOUT_NOW. Stateless singleton; called
 * only by the owning Raft's thread.
 */
final class FollowerStep implements RoleStep {
    static final FollowerStep INSTANCE = new FollowerStep();

    private FollowerStep() {
    }

    @Override
    public void step(Raft r, Message m) {
        switch (m.type()) {
            case PROP -> {
                if (r.lead == 0) {
                    throw new ProposalDroppedException("no leader at term " + r.term);
                }
                if (r.tracker.progress(r.id) == null) {
                    // Removed, or joining and not yet caught up to its own addition.
                    throw new ProposalDroppedException("this member is not in the configuration");
                }
                if (r.config.disableProposalForwarding()) {
                    throw new ProposalDroppedException("proposal forwarding is disabled");
                }
                r.send(forward(m, r.lead));
            }
            case APP -> {
                r.electionElapsed = 0;
                r.lead = m.from();
                handleAppendEntries(r, m);
            }
            case HEARTBEAT -> {
                r.electionElapsed = 0;
                r.lead = m.from();
                handleHeartbeat(r, m);
            }
            case SNAP -> {
                r.electionElapsed = 0;
                r.lead = m.from();
                handleSnapshot(r, m);
            }
            case TRANSFER_LEADER, READ_INDEX -> {
                // Without a known leader the request is dropped; the caller retries after a timeout.
                if (r.lead != 0) {
                    r.send(forward(m, r.lead));
                }
            }
            // Transfers skip pre-vote: the leader itself asked us, so we are not partitioned.
            case TIMEOUT_NOW -> Elections.hup(r, CampaignType.TRANSFER);
            case READ_INDEX_RESP -> r.readStates.add(new ReadState(m.index(), m.context()));
            default -> {
                // Other kinds mean nothing to a follower.
            }
        }
    }

    /** A copy of {@code m} addressed to {@code to}, with the term left for {@link Raft#send} to set. */
    private static Message forward(Message m, long to) {
        return new Message(m.type(), to, m.from(), 0, m.logTerm(), m.index(), m.entries(), m.commit(),
                m.snapshot(), m.reject(), m.rejectHint(), m.context(), m.commitOnly());
    }

    static void handleAppendEntries(Raft r, Message m) {
        if (m.index() < r.log.committed()) {
            // Everything up to our commit index is known to match: tell the leader where we are.
            r.send(Message.builder(MessageType.APP_RESP).to(m.from()).index(r.log.committed()).build());
            return;
        }
        long lastNew = r.log.maybeAppend(m.index(), m.logTerm(), m.commit(), m.entries());
        if (lastNew >= 0) {
            assert lastNew <= r.log.lastIndex() : "appended entries missing from the log";
            if (m.commitOnly() && m.entries().isEmpty()) {
                return; // the leader only told us its commit index; our answer would tell it nothing
            }
            r.send(Message.builder(MessageType.APP_RESP).to(m.from()).index(lastNew).build());
            return;
        }
        // Our log does not match at m.index. Hint the largest (index, term) that may match: the
        // last entry at or below m.index whose term is at most m.logTerm, which skips our whole
        // uncommitted tail of newer terms in one round trip.
        long hintIndex = Math.min(m.index(), r.log.lastIndex());
        long[] hint = r.log.findConflictByTerm(hintIndex, m.logTerm());
        assert hint[0] <= m.index();
        r.send(Message.builder(MessageType.APP_RESP).to(m.from()).index(m.index()).reject(true)
                .rejectHint(hint[0]).logTerm(hint[1]).build());
    }

    static void handleHeartbeat(Raft r, Message m) {
        // The leader sends min(our match, its commit), so this never exceeds our log.
        r.log.commitTo(m.commit());
        r.send(Message.builder(MessageType.HEARTBEAT_RESP).to(m.from()).context(m.context()).build());
    }

    static void handleSnapshot(Raft r, Message m) {
        if (r.restore(m.snapshot())) {
            r.send(Message.builder(MessageType.APP_RESP).to(m.from()).index(r.log.lastIndex()).build());
        } else {
            r.send(Message.builder(MessageType.APP_RESP).to(m.from()).index(r.log.committed()).build());
        }
    }
}
