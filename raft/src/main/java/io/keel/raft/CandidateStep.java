package io.keel.raft;

import io.keel.raft.quorum.VoteResult;

/**
 * Message handling of a candidate or pre-candidate: count votes, and yield to a leader of the
 * same term. Stateless singleton; called only by the owning Raft's thread.
 */
final class CandidateStep implements RoleStep {
    static final CandidateStep INSTANCE = new CandidateStep();

    private CandidateStep() {
    }

    @Override
    public void step(Raft r, Message m) {
        MessageType myVoteResp = r.state == StateRole.PRE_CANDIDATE ? MessageType.PRE_VOTE_RESP
                : MessageType.VOTE_RESP;
        switch (m.type()) {
            case PROP -> throw new ProposalDroppedException("no leader at term " + r.term);
            case APP -> {
                r.becomeFollower(m.term(), m.from()); // a leader of our term exists: yield
                FollowerStep.handleAppendEntries(r, m);
            }
            case HEARTBEAT -> {
                r.becomeFollower(m.term(), m.from());
                FollowerStep.handleHeartbeat(r, m);
            }
            case SNAP -> {
                r.becomeFollower(m.term(), m.from());
                FollowerStep.handleSnapshot(r, m);
            }
            default -> {
                if (m.type() == myVoteResp) {
                    countVote(r, m);
                }
                // Everything else (TIMEOUT_NOW included) is ignored by candidates.
            }
        }
    }

    private static void countVote(Raft r, Message m) {
        VoteResult result = Elections.poll(r, m.from(), !m.reject());
        switch (result) {
            case WON -> {
                if (r.state == StateRole.PRE_CANDIDATE) {
                    Elections.campaign(r, CampaignType.ELECTION);
                } else {
                    r.becomeLeader();
                    Replicator.bcastAppend(r);
                }
            }
            // A pre-vote response carries a future term; stay in ours.
            case LOST -> r.becomeFollower(r.term, 0);
            case PENDING -> {
            }
        }
    }
}
