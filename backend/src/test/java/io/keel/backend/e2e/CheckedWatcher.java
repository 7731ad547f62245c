package io.keel.backend.e2e;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A jetcd watcher whose every response is recorded. It asks for created notifications so the
 * checker sees each (re)subscription jetcd makes after a connection is lost, and mirrors the
 * revision jetcd resumes from. Thread-safe (jetcd calls back on its own threads).
 */
final class CheckedWatcher implements AutoCloseable {
    final String name;
    final String key;
    final String rangeEnd; // null: single key
    final long startRev;
    final boolean prevKv;
    final List<WatchRecord.Resp> log = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final Watch.Watcher watcher;

    CheckedWatcher(Client client, String name, String key, String rangeEnd, long startRev, boolean prevKv,
                   boolean progressNotify) {
        this.name = name;
        this.key = key;
        this.rangeEnd = rangeEnd;
        this.startRev = startRev;
        this.prevKv = prevKv;
        WatchOption.Builder o = WatchOption.builder().withCreateNotify(true).withPrevKV(prevKv)
                .withProgressNotify(progressNotify).withRevision(startRev);
        if (rangeEnd != null) {
            o.withRange(bytes(rangeEnd));
        }
        this.watcher = client.getWatchClient().watch(bytes(key), o.build(), Watch.listener(this::onNext, errors::add));
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    boolean inRange(String k) {
        if (rangeEnd == null) {
            return k.equals(key);
        }
        return k.compareTo(key) >= 0 && k.compareTo(rangeEnd) < 0;
    }

    private void onNext(WatchResponse r) {
        List<WatchRecord.Ev> evs = new ArrayList<>();
        for (WatchEvent e : r.getEvents()) {
            var kv = e.getKeyValue();
            boolean put = e.getEventType() == WatchEvent.EventType.PUT;
            var prev = e.getPrevKV();
            String prevValue = prev == null || prev.getKey().isEmpty() ? null : prev.getValue().toString();
            evs.add(new WatchRecord.Ev(kv.getModRevision(), kv.getKey().toString(), put,
                    put ? kv.getValue().toString() : null, kv.getCreateRevision(), kv.getVersion(), prevValue));
        }
        log.add(new WatchRecord.Resp(r.getHeader().getRevision(), r.isCreatedNotify(),
                evs.isEmpty() && !r.isCreatedNotify(), evs));
    }

    /** The highest revision this watcher is known to have seen everything up to. */
    long covered() {
        long c = 0;
        for (WatchRecord.Resp r : log) {
            if (r.progress()) {
                c = Math.max(c, r.headerRev());
            }
            for (WatchRecord.Ev e : r.events()) {
                c = Math.max(c, e.rev());
            }
        }
        return c;
    }

    void requestProgress() {
        watcher.requestProgress();
    }

    @Override
    public void close() {
        watcher.close();
    }
}
