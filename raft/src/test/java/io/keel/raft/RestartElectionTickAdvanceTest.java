package io.keel.raft;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restarted member of a three-voter cluster whose election clock is advanced (the server does
 * so once a peer connection stands, as etcd's {@code --initial-election-tick-advance}) asks for
 * pre-votes within a few ticks, where one left alone waits a whole randomized election timeout.
 * Seeded; manual ticks.
 */
class RestartElectionTickAdvanceTest {
    private static final int ELECTION_TICKS = 10;

    private static RawNode restarted(long seed) {
        MemoryStorage storage = new MemoryStorage();
        storage.applySnapshot(new Snapshot(new SnapshotMetadata(ConfState.ofVoters(1L, 2L, 3L), 100, 5), new byte[0]));
        storage.setHardState(new HardState(5, 0, 100));
        return new RawNode(RaftConfig.defaults(1).withTicks(ELECTION_TICKS, 1).withPreVote(true).withApplied(100),
                storage, new SplittableRandom(seed));
    }

    /** Ticks until the node sends its first pre-vote request (at most 3 election timeouts). */
    private static int ticksToPreVote(RawNode node) {
        for (int tick = 1; tick <= 3 * ELECTION_TICKS; tick++) {
            node.tick();
            while (node.hasReady()) {
                Ready rd = node.ready();
                boolean preVote = rd.messages().stream().anyMatch(m -> m.type() == MessageType.PRE_VOTE);
                node.advance(rd);
                if (preVote) {
                    return tick;
                }
            }
        }
        return Integer.MAX_VALUE;
    }

    @Test
    void anAdvancedClockCampaignsWithinTheRandomizedSpanLeftAndAnUnadvancedOneAfterAFullTimeout() {
        for (long seed = 1; seed <= 50; seed++) {
            RawNode advanced = restarted(seed);
            advanced.advanceElectionTicks(ELECTION_TICKS - 2);
            int soon = ticksToPreVote(advanced);
            // The randomized timeout lies in [ELECTION_TICKS, 2 * ELECTION_TICKS): 8 ticks are already spent.
            assertThat(soon).as("seed " + seed).isBetween(2, ELECTION_TICKS + 1);

            int late = ticksToPreVote(restarted(seed));
            assertThat(late).as("seed " + seed).isBetween(ELECTION_TICKS, 2 * ELECTION_TICKS - 1);
            assertThat(late - soon).as("seed " + seed).isEqualTo(ELECTION_TICKS - 2);
        }
    }
}
