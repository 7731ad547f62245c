package io.keel.raft;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Member ids are unsigned 64-bit (etcd derives them by hashing): half are negative as a long. */
class UnsignedIdTest {
    /** A real etcd-style member id whose top bit is set. */
    private static final long HIGH_BIT_ID = 0xB16762D13904778FL;

    @Test
    void configAcceptsAnIdWithTheTopBitSetAndRefusesOnlyZero() {
        assertThat(RaftConfig.defaults(HIGH_BIT_ID).validate().id()).isNegative();
        assertThatThrownBy(() -> RaftConfig.defaults(0).validate()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMemberWhoseIdHasTheTopBitSetBootstrapsAndBecomesLeader() {
        MemoryStorage storage = new MemoryStorage();
        RawNode node = new RawNode(RaftConfig.defaults(HIGH_BIT_ID), storage, new SplittableRandom(7));
        node.bootstrap(List.of(HIGH_BIT_ID));
        drain(node, storage);

        node.campaign();
        drain(node, storage);

        assertThat(node.status().softState().role()).isEqualTo(StateRole.LEADER);
        assertThat(node.status().confState().voters()).containsExactly(HIGH_BIT_ID);
    }

    private static void drain(RawNode node, MemoryStorage storage) {
        while (node.hasReady()) {
            Ready rd = node.ready();
            storage.append(rd.entries());
            if (rd.hardState() != null) {
                storage.setHardState(rd.hardState());
            }
            for (Entry e : rd.committedEntries()) {
                if (e.type() == EntryType.CONF_CHANGE) {
                    node.applyConfChange(ConfChange.decode(e.data()));
                }
            }
            node.advance(rd);
        }
    }
}
