package io.keel.raft;

import io.keel.raft.quorum.VoteResult;

/**
 * Elections (Raft 5.2 and 5.4.1, plus pre-vote): campaigning, counting votes, and answering VOTE
 * and PRE_VOTE requests whatever this member's role. Stateless; called only by the owning Raft's thread.
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

    /** Starts a campaign unless leading, not promotable, or conf changes are still unapplied. */
    static void hup(Raft r, CampaignType type) {
        if (r.state == StateRole.LEADER || !r.promotable()) {
            return;
        }
        if (r.log.committed() > r.log.applied()) {
            // A leader must know the configuration it leads: refuse while conf changes are unapplied.
            for (Entry e : r.log.slice(r.log.applied() + 1, r.log.committed() + 1, Long.MAX_VALUE)) {
                if (e.type() == EntryType.CONF_CHANGE) {
                    return;
                }
            }
        }
        campaign(r, type);
    }

    static void campaign(Raft r, CampaignType type) {
        if (!r.promotable()) {
            return;
        }
        long voteTerm;
        MessageType voteMsg;
        if (type == CampaignType.PRE_ELECTION) {
            r.becomePreCandidate();
            voteMsg = MessageType.PRE_VOTE;
            voteTerm = r.term + 1; // pre-votes ask about the next term without moving to it
        } else {
            r.becomeCandidate();
            voteMsg = MessageType.VOTE;
            voteTerm = r.term;
        }
        if (poll(r, r.id, true) == VoteResult.WON) {
            // Only possible in a single-voter cluster.
            if (type == CampaignType.PRE_ELECTION) {
                campaign(r, CampaignType.ELECTION);
            } else {
                r.becomeLeader();
            }
            return;
        }
        byte[] context = type == CampaignType.TRANSFER ? CampaignType.transferContext() : null;
        for (long voter : r.tracker.voters()) {
            if (voter == r.id) {
                continue;
            }
            r.send(Message.builder(voteMsg).to(voter).term(voteTerm).index(r.log.lastIndex())
                    .logTerm(r.log.lastTerm()).context(context).build());
        }
    }

    static VoteResult poll(Raft r, long from, boolean granted) {
        r.tracker.recordVote(from, granted);
        return r.tracker.tallyVotes();
    }
}
