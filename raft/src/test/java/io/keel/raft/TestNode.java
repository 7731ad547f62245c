package io.keel.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * One member in a {@link TestNetwork}: a RawNode, the MemoryStorage that stands for its disk, and
 * an application that follows the Ready contract (persist, send, apply, advance) and records what
 * it applied. Test-thread only.
 */
final class TestNode {
    final long id;
    final MemoryStorage storage = new MemoryStorage();
    private final UnaryOperator<RaftConfig> configure;
    private long seed;
    RawNode node;
    final List<Entry> applied = new ArrayList<>();
    final List<ReadState> readStates = new ArrayList<>();
    ConfState confState = ConfState.EMPTY;
    Snapshot lastRestoredSnapshot = Snapshot.EMPTY;

    TestNode(long id, long seed, UnaryOperator<RaftConfig> configure) {
        this.id = id;
        this.seed = seed;
        this.configure = configure;
        this.node = newRawNode(0);
    }

    private RawNode newRawNode(long appliedIndex) {
        RaftConfig config = configure.apply(RaftTests.config(id)).withApplied(appliedIndex);
        return new RawNode(config, storage, new SplittableRandom(seed++));
    }

    /** Simulates a crash and restart: all volatile state is lost, the storage survives. */
    void restart() {
        long snapIndex = storage.snapshot().metadata().index();
        confState = storage.snapshot().metadata().confState();
        // The applied state machine is rebuilt from the snapshot; later entries are re-applied.
        applied.removeIf(e -> e.index() > snapIndex);
        node = newRawNode(snapIndex);
    }

    /** Handles one Ready if there is one; returns the messages to send. */
    List<Message> handleReady() {
        if (!node.hasReady()) {
            return List.of();
        }
        Ready rd = node.ready();
        if (!rd.snapshot().isEmpty()) {
            storage.applySnapshot(rd.snapshot());
        }
        storage.append(rd.entries());
        if (rd.hardState() != null) {
            storage.setHardState(rd.hardState());
        }
        if (!rd.snapshot().isEmpty()) {
            lastRestoredSnapshot = rd.snapshot();
            confState = rd.snapshot().metadata().confState();
            applied.removeIf(e -> e.index() > rd.snapshot().metadata().index());
        }
        for (Entry e : rd.committedEntries()) {
            if (e.type() == EntryType.CONF_CHANGE) {
                confState = node.applyConfChange(ConfChange.decode(e.data()));
            }
            applied.add(e);
        }
        readStates.addAll(rd.readStates());
        node.advance(rd);
        return rd.messages();
    }

    /** Data of applied normal entries with a payload, in order. */
    List<String> appliedData() {
        List<String> out = new ArrayList<>();
        for (Entry e : applied) {
            if (e.type() == EntryType.NORMAL && e.data().length > 0) {
                out.add(new String(e.data(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** Takes a snapshot at the applied index and compacts the log up to it. */
    void snapshotAndCompact() {
        long index = applied.isEmpty() ? 0 : applied.get(applied.size() - 1).index();
        storage.createSnapshot(index, confState, new byte[] {1});
        storage.compact(index);
    }

    RaftStatus status() {
        return node.status();
    }

    Raft raft() {
        return node.raft();
    }
}
