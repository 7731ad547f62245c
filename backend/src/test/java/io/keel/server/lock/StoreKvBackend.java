package io.keel.server.lock;

import io.keel.api.etcdserverpb.CompactionRequest;
import io.keel.api.etcdserverpb.CompactionResponse;
import io.keel.api.etcdserverpb.DeleteRangeRequest;
import io.keel.api.etcdserverpb.DeleteRangeResponse;
import io.keel.api.etcdserverpb.PutRequest;
import io.keel.api.etcdserverpb.PutResponse;
import io.keel.api.etcdserverpb.RangeRequest;
import io.keel.api.etcdserverpb.RangeResponse;
import io.keel.api.etcdserverpb.ResponseHeader;
import io.keel.api.etcdserverpb.TxnRequest;
import io.keel.api.etcdserverpb.TxnResponse;
import io.keel.server.kv.KvBackend;
import io.keel.server.kv.KvProtoMapping;
import io.keel.server.watch.WatchHub;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.MvccWriteTxn;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * A one-member KV for tests: requests run in order on one thread against a real MVCC store, each
 * write a commit the hub hears of, as the applier does (leases are recorded, not checked).
 */
final class StoreKvBackend implements KvBackend, AutoCloseable {
    private static final LongFunction<ResponseHeader> HEADER = rev -> ResponseHeader.newBuilder().setRevision(rev)
            .build();
    private final MvccStore store;
    private final WatchHub hub;
    private final ExecutorService applier = Executors.newSingleThreadExecutor();

    StoreKvBackend(MvccStore store, WatchHub hub) {
        this.store = store;
        this.hub = hub;
    }

    private <T> CompletionStage<T> write(Function<MvccWriteTxn, T> op) {
        return CompletableFuture.supplyAsync(() -> {
            try (MvccWriteTxn w = store.beginWrite()) {
                T result = op.apply(w);
                var changes = w.changes();
                hub.committed(w.commit(), changes);
                return result;
            }
        }, applier);
    }

    @Override
    public CompletionStage<RangeResponse> range(RangeRequest r) {
        return CompletableFuture.supplyAsync(() -> KvProtoMapping.rangeResponse(store.range(KvProtoMapping.range(r)),
                HEADER), applier);
    }

    @Override
    public CompletionStage<PutResponse> put(PutRequest r) {
        return write(w -> KvProtoMapping.putResponse(w.put(KvProtoMapping.put(r)), HEADER));
    }

    @Override
    public CompletionStage<DeleteRangeResponse> deleteRange(DeleteRangeRequest r) {
        return write(w -> KvProtoMapping.deleteResponse(w.deleteRange(KvProtoMapping.delete(r)), HEADER));
    }

    @Override
    public CompletionStage<TxnResponse> txn(TxnRequest r) {
        return write(w -> KvProtoMapping.txnResponse(w.txn(KvProtoMapping.txn(r)), HEADER));
    }

    @Override
    public CompletionStage<CompactionResponse> compact(CompactionRequest r) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
        applier.shutdownNow();
    }
}
