package io.keel.server.election;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.ResponseHeader;
import io.keel.api.etcdserverpb.WatchCreateRequest;
import io.keel.api.etcdserverpb.WatchResponse;
import io.keel.api.mvccpb.Event;
import io.keel.api.mvccpb.KeyValue;
import io.keel.api.v3electionpb.LeaderResponse;
import io.keel.server.errors.EtcdError;
import io.keel.server.kv.KvBackend;
import io.keel.server.lock.ConcurrencyError;
import io.keel.server.lock.DeletionWaiter;
import io.keel.server.watch.WatchHub;
import io.keel.server.watch.WatchSink;
import io.keel.server.watch.WatchStreamHandle;
import java.util.List;
import java.util.function.Consumer;

/**
 * One Election.Observe stream, as etcd's Election.observe: tell the current leader (or wait for
 * the first candidate), then every new value it proclaims, and when its key is deleted move on to
 * the next leader. Driven by hub callbacks and KV futures, none of which blocks. Thread-safe
 * (synchronized: callbacks come from the hub's thread and from KV completions).
 */
public final class LeaderObserver {
    private final KvBackend kv;
    private final WatchHub hub;
    private final ByteString prefix;
    private final Consumer<LeaderResponse> out;
    private final Consumer<Throwable> failed;
    private WatchStreamHandle stream;
    private boolean closed;
    /** Bumped per watch, so events of a watch already replaced are ignored. */
    private long generation;

    public LeaderObserver(KvBackend kv, WatchHub hub, ByteString name, Consumer<LeaderResponse> out,
                          Consumer<Throwable> failed) {
        this.kv = kv;
        this.hub = hub;
        this.prefix = ElectionServer.prefix(name);
        this.out = out;
        this.failed = failed;
    }

    public void start() {
        findLeader();
    }

    public synchronized void close() {
        closed = true;
        stopWatch();
    }

    private void findLeader() {
        kv.range(DeletionWaiter.firstCreated(prefix)).whenComplete((resp, err) -> {
            if (err != null) {
                fail(err);
            } else if (resp.getKvsCount() == 0) {
                watch(DeletionWaiter.prefixRange(prefix).getRangeEnd(), prefix, resp.getHeader().getRevision(), true);
            } else {
                leaderFound(resp.getHeader(), resp.getKvs(0));
            }
        });
    }

    private synchronized void leaderFound(ResponseHeader h, KeyValue leader) {
        if (closed) {
            return;
        }
        out.accept(ElectionServer.leaderResponse(h, leader));
        watch(ByteString.EMPTY, leader.getKey(), h.getRevision() + 1, false);
    }

    /** Watches {@code key} (a prefix if {@code end} is set): for the first put, or the leader's changes. */
    private synchronized void watch(ByteString end, ByteString key, long fromRev, boolean awaitingCandidate) {
        if (closed) {
            return;
        }
        stopWatch();
        long gen = ++generation;
        stream = hub.open(new WatchSink() {
            @Override
            public boolean hasRoom() {
                return true;
            }

            @Override
            public boolean offer(List<WatchResponse> responses) {
                responses.forEach(r -> onEvents(gen, r, awaitingCandidate));
                return true;
            }

            @Override
            public void offerControl(WatchResponse r) {
                if (r.getCanceled()) {
                    onCanceled(gen, r);
                }
            }
        });
        if (stream == null || !stream.create(WatchCreateRequest.newBuilder().setKey(key).setRangeEnd(end)
                .setStartRevision(fromRev).build())) {
            fail(EtcdError.TOO_MANY_REQUESTS.exception());
        }
    }

    private synchronized void onEvents(long gen, WatchResponse r, boolean awaitingCandidate) {
        for (Event e : r.getEventsList()) {
            if (closed || gen != generation) {
                return;
            }
            if (awaitingCandidate) {
                if (e.getType() == Event.EventType.PUT) {
                    leaderFound(r.getHeader().toBuilder().setRevision(e.getKv().getModRevision()).build(), e.getKv());
                }
            } else if (e.getType() == Event.EventType.DELETE) {
                stopWatch();
                findLeader();
            } else {
                out.accept(ElectionServer.leaderResponse(r.getHeader(), e.getKv()));
            }
        }
    }

    private synchronized void onCanceled(long gen, WatchResponse r) {
        if (gen == generation) {
            fail(r.getCompactRevision() != 0 ? EtcdError.COMPACTED.exception() : ConcurrencyError.LOST_WATCHER.exception());
        }
    }

    private synchronized void fail(Throwable t) {
        if (!closed) {
            closed = true;
            stopWatch();
            failed.accept(t);
        }
    }

    private void stopWatch() {
        if (stream != null) {
            stream.close();
            stream = null;
        }
        generation++;
    }
}
