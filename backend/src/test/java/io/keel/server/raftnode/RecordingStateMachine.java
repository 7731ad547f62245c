package io.keel.server.raftnode;

import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.EntryType;
import io.keel.raft.Snapshot;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * A state machine that records every non-empty normal entry's payload as a string, in order.
 * Written by the apply thread, read by the test thread through {@link #values()}.
 */
final class RecordingStateMachine implements StateMachine {
    private final List<String> values = new ArrayList<>();
    private volatile long appliedIndex;
    private volatile CountDownLatch gate;
    private int applyCalls;
    private int restores;
    private final List<Map.Entry<Integer, CompletableFuture<List<String>>>> awaiting = new ArrayList<>();

    private final List<Long> delivered = new ArrayList<>();

    @Override
    public long appliedIndex() {
        return appliedIndex;
    }

    /** A store that already holds everything up to {@code index} (as after a restart); call before the node starts. */
    RecordingStateMachine holdingUpTo(long index, List<String> valuesSoFar) {
        appliedIndex = index;
        values.addAll(valuesSoFar);
        return this;
    }

    /** The index of every entry handed to {@link #apply}, skipped or not, in order. */
    synchronized List<Long> deliveredIndexes() {
        return new ArrayList<>(delivered);
    }

    /** Makes the next apply wait until the returned latch is counted down. */
    CountDownLatch blockApplies() {
        CountDownLatch latch = new CountDownLatch(1);
        gate = latch;
        return latch;
    }

    @Override
    public void apply(List<Entry> entries, ConfState confState) {
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        synchronized (this) {
            applyCalls++;
            for (Entry e : entries) {
                delivered.add(e.index());
                if (e.index() <= appliedIndex) {
                    continue;
                }
                if (e.type() == EntryType.NORMAL && e.data().length > 0) {
                    values.add(new String(e.data(), StandardCharsets.UTF_8));
                }
                appliedIndex = e.index();
            }
            wakeAwaiting();
        }
    }

    /** Completes with the values once at least {@code count} have been applied. */
    synchronized CompletableFuture<List<String>> awaitValues(int count) {
        CompletableFuture<List<String>> f = new CompletableFuture<>();
        awaiting.add(Map.entry(count, f));
        wakeAwaiting();
        return f;
    }

    private void wakeAwaiting() {
        awaiting.removeIf(w -> {
            if (values.size() >= w.getKey()) {
                w.getValue().complete(List.copyOf(values));
                return true;
            }
            return false;
        });
    }

    @Override
    public synchronized void restore(Snapshot snapshot) {
        values.clear();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot.data()))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                values.add(in.readUTF());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        appliedIndex = snapshot.metadata().index();
        restores++;
        wakeAwaiting();
    }

    synchronized int restores() {
        return restores;
    }

    @Override
    public synchronized byte[] snapshotData() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(values.size());
            for (String v : values) {
                out.writeUTF(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    synchronized List<String> values() {
        return List.copyOf(values);
    }

    synchronized int applyCalls() {
        return applyCalls;
    }
}
