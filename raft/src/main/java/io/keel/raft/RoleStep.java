package io.keel.raft;

/**
 * The message handler of one role (etcd's stepFunc). {@link Raft} swaps it on every role change,
 * so each role's rules live in one small class. Stateless; called only by the owning Raft's thread.
 */
interface RoleStep {
    /**
     * Handles {@code m}, already checked against the current term.
     *
     * @throws ProposalDroppedException when {@code m} is a proposal this role cannot accept
     */
    void step(Raft r, Message m);
}
