package io.keel.raft;

/**
 * Answers VOTE and PRE_VOTE requests (Raft 5.2 and 5.4.1, plus the pre-vote extension), whatever
 * this member's role. Stateless; called only by the owning Raft's thread.
 */
final class Elections {
    private Elections() {
    }

    static void handleVoteRequest(Raft r, Message m) {
        boolean preVote = m.type() == MessageType.PRE_VOTE;
        MessageType respType = preVote ? MessageType.PRE_VOTE_RESP : MessageType.VOTE_RESP;
        // We may vote if this repeats the vote we already cast, if we have neither voted nor know
        // a leader in this term, or if it is a pre-vote for a later term (which binds nothing).
        boolean canVote = r.vote == m.from()
                || (r.vote == 0 && r.lead == 0)
                || (preVote && m.term() > r.term);
        if (canVote && r.log.isUpToDate(m.index(), m.logTerm())) {
            // Grant with the term of the request: for a pre-vote that is the candidate's future term.
            r.send(Message.builder(respType).to(m.from()).term(m.term()).build());
            if (!preVote) {
                r.electionElapsed = 0;
                r.vote = m.from();
                assert r.vote != 0;
            }
        } else {
            r.send(Message.builder(respType).to(m.from()).term(r.term).reject(true).build());
        }
    }
}
