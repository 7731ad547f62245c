package io.keel.backend.grpc;

import io.keel.api.etcdserverpb.CompactionRequest;
import io.keel.api.etcdserverpb.CompactionResponse;
import io.keel.api.etcdserverpb.DeleteRangeRequest;
import io.keel.api.etcdserverpb.DeleteRangeResponse;
import io.keel.api.etcdserverpb.PutRequest;
import io.keel.api.etcdserverpb.PutResponse;
import io.keel.api.etcdserverpb.RangeRequest;
import io.keel.api.etcdserverpb.RangeResponse;
import io.keel.api.etcdserverpb.TxnRequest;
import io.keel.api.etcdserverpb.TxnResponse;
import io.keel.server.kv.KvBackend;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;

/** Test double: every call is held until the test completes it; the test sees calls arrive in order. */
final class HeldKv implements KvBackend {
    final BlockingQueue<CompletableFuture<RangeResponse>> ranges = new LinkedBlockingQueue<>();
    final BlockingQueue<PutRequest> puts = new LinkedBlockingQueue<>();
    final BlockingQueue<TxnRequest> txns = new LinkedBlockingQueue<>();

    @Override
    public CompletionStage<RangeResponse> range(RangeRequest request) {
        CompletableFuture<RangeResponse> f = new CompletableFuture<>();
        ranges.add(f);
        return f;
    }

    @Override
    public CompletionStage<PutResponse> put(PutRequest request) {
        puts.add(request);
        return CompletableFuture.completedFuture(PutResponse.getDefaultInstance());
    }

    @Override
    public CompletionStage<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
        return CompletableFuture.completedFuture(DeleteRangeResponse.getDefaultInstance());
    }

    @Override
    public CompletionStage<TxnResponse> txn(TxnRequest request) {
        txns.add(request);
        return CompletableFuture.completedFuture(TxnResponse.newBuilder().setSucceeded(true).build());
    }

    @Override
    public CompletionStage<CompactionResponse> compact(CompactionRequest request) {
        return CompletableFuture.completedFuture(CompactionResponse.getDefaultInstance());
    }
}
