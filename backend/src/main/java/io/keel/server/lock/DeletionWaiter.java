package io.keel.server.lock;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.RangeRequest;
import io.keel.api.etcdserverpb.ResponseHeader;
import io.keel.api.etcdserverpb.WatchCreateRequest;
import io.keel.api.etcdserverpb.WatchResponse;
import io.keel.api.mvccpb.Event;
import io.keel.server.errors.EtcdError;
import io.keel.server.kv.KvBackend;
import io.keel.server.watch.WatchHub;
import io.keel.server.watch.WatchSink;
import io.keel.server.watch.WatchStreamHandle;
import io.keel.storage.mvcc.KeyRange;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * etcd's concurrency-package waiting, server side and without blocking a thread: wait until every
 * key of a prefix created before a revision is deleted (waiters queue by create revision), each
 * wait being a watch on the member's {@link WatchHub}. Thread-safe; futures complete on
 * {@code executor}, never on the hub's thread.
 */
public final class DeletionWaiter {
    private final KvBackend kv;
    private final WatchHub hub;
    private final Executor executor;

    public DeletionWaiter(KvBackend kv, WatchHub hub, Executor executor) {
        this.kv = kv;
        this.hub = hub;
        this.executor = executor;
    }

    /** A range over every key with {@code prefix}. */
    public static RangeRequest.Builder prefixRange(ByteString prefix) {
        return RangeRequest.newBuilder().setKey(prefix)
                .setRangeEnd(ByteString.copyFrom(KeyRange.prefixEnd(prefix.toByteArray())));
    }

    /** clientv3's WithFirstCreate: the key of the prefix created first. */
    public static RangeRequest firstCreated(ByteString prefix) {
        return prefixRange(prefix).setSortTarget(RangeRequest.SortTarget.CREATE)
                .setSortOrder(RangeRequest.SortOrder.ASCEND).setLimit(1).build();
    }

    /**
     * Completes once no key of {@code prefix} with a create revision at or below
     * {@code maxCreateRev} is left, with the header of the last read.
     */
    public CompletionStage<ResponseHeader> waitDeletes(ByteString prefix, long maxCreateRev) {
        RangeRequest lastBefore = prefixRange(prefix).setSortTarget(RangeRequest.SortTarget.CREATE)
                .setSortOrder(RangeRequest.SortOrder.DESCEND).setLimit(1).setMaxCreateRevision(maxCreateRev).build();
        return kv.range(lastBefore).thenComposeAsync(resp -> {
            if (resp.getKvsCount() == 0) {
                return CompletableFuture.completedFuture(resp.getHeader());
            }
            return waitDelete(resp.getKvs(0).getKey(), resp.getHeader().getRevision())
                    .thenCompose(v -> waitDeletes(prefix, maxCreateRev));
        }, executor);
    }

    /** Completes when {@code key} is deleted at or after {@code fromRev}. */
    public CompletionStage<Void> waitDelete(ByteString key, long fromRev) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        OneShotSink sink = new OneShotSink(done);
        WatchStreamHandle stream = hub.open(sink);
        if (stream == null || !stream.create(WatchCreateRequest.newBuilder().setKey(key).setStartRevision(fromRev)
                .addFilters(WatchCreateRequest.FilterType.NOPUT).build())) {
            return CompletableFuture.failedFuture(EtcdError.TOO_MANY_REQUESTS.exception());
        }
        return done.whenComplete((v, t) -> stream.close());
    }

    /** Resolves on the first delete, or fails if the watch is cancelled (compacted, say). */
    private final class OneShotSink implements WatchSink {
        private final CompletableFuture<Void> done;
        private final AtomicBoolean fired = new AtomicBoolean();

        OneShotSink(CompletableFuture<Void> done) {
            this.done = done;
        }

        @Override
        public boolean hasRoom() {
            return true;
        }

        @Override
        public boolean offer(List<WatchResponse> responses) {
            for (WatchResponse r : responses) {
                for (Event e : r.getEventsList()) {
                    if (e.getType() == Event.EventType.DELETE && fired.compareAndSet(false, true)) {
                        executor.execute(() -> done.complete(null));
                    }
                }
            }
            return true;
        }

        @Override
        public void offerControl(WatchResponse r) {
            if (r.getCanceled() && fired.compareAndSet(false, true)) {
                executor.execute(() -> done.completeExceptionally(r.getCompactRevision() != 0
                        ? EtcdError.COMPACTED.exception() : ConcurrencyError.LOST_WATCHER.exception()));
            }
        }
    }
}
