package io.keel.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.raft.ConfChange;
import io.keel.raft.ConfChangeType;
import io.keel.raft.Entry;
import io.keel.raft.EntryType;
import org.junit.jupiter.api.Test;

class KvStateMachineTest {

    @Test
    void snapshotRoundTripKeepsRegistersAndChain() {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(Entry.normal(1, 1, new byte[0]));
        sm.apply(Entry.normal(1, 2, KvStateMachine.write(3, 77)));
        sm.apply(new Entry(1, 3, EntryType.CONF_CHANGE, new ConfChange(ConfChangeType.ADD_NODE, 4, null).encode()));
        KvStateMachine copy = KvStateMachine.decode(sm.encode());
        assertThat(copy.appliedIndex()).isEqualTo(3);
        assertThat(copy.chain()).isEqualTo(sm.chain());
        assertThat(copy.writeIdOf(3)).isEqualTo(77);
        assertThat(copy.writeIndexOf(3)).isEqualTo(2);
        assertThat(KvStateMachine.decode(new byte[0]).appliedIndex()).isZero();
    }

    @Test
    void chainDependsOnEveryEntryInOrder() {
        KvStateMachine ab = new KvStateMachine();
        ab.apply(Entry.normal(1, 1, KvStateMachine.write(0, 1)));
        ab.apply(Entry.normal(1, 2, KvStateMachine.write(0, 2)));
        KvStateMachine ba = new KvStateMachine();
        ba.apply(Entry.normal(1, 1, KvStateMachine.write(0, 2)));
        ba.apply(Entry.normal(1, 2, KvStateMachine.write(0, 1)));
        assertThat(ab.chain()).isNotEqualTo(ba.chain());
        assertThat(KvStateMachine.isWrite(Entry.normal(1, 1, new byte[0]))).isFalse();
    }

    @Test
    void refusesConfChangesTheMemberListNoLongerAllowsAndKeepsTheListInSnapshots() {
        KvStateMachine sm = new KvStateMachine();
        assertThat(sm.apply(conf(1, ConfChangeType.ADD_NODE, 1))).as("bootstrap voter").isTrue();
        assertThat(sm.apply(conf(2, ConfChangeType.ADD_LEARNER_NODE, 2))).as("new learner").isTrue();
        assertThat(sm.apply(conf(3, ConfChangeType.ADD_LEARNER_NODE, 2))).as("learner again").isFalse();
        assertThat(sm.apply(conf(4, ConfChangeType.ADD_NODE, 1))).as("voter again").isFalse();
        assertThat(sm.apply(conf(5, ConfChangeType.REMOVE_NODE, 9))).as("stranger removed").isFalse();
        assertThat(sm.apply(conf(6, ConfChangeType.REMOVE_NODE, 2))).as("learner removed").isTrue();
        KvStateMachine copy = KvStateMachine.decode(sm.encode());
        assertThat(copy.apply(conf(7, ConfChangeType.ADD_NODE, 2))).as("removed learner promoted late").isFalse();
        assertThat(copy.apply(conf(8, ConfChangeType.ADD_LEARNER_NODE, 2))).as("removed id added back").isFalse();
        assertThat(copy.apply(conf(9, ConfChangeType.ADD_LEARNER_NODE, 3))).as("another learner").isTrue();
        assertThat(copy.apply(conf(10, ConfChangeType.ADD_NODE, 3))).as("its promotion").isTrue();
        assertThat(copy.apply(Entry.normal(1, 11, KvStateMachine.write(0, 5)))).isTrue();
    }

    private static Entry conf(long index, ConfChangeType type, long id) {
        return new Entry(1, index, EntryType.CONF_CHANGE, new ConfChange(type, id, null).encode());
    }
}
