package io.keel.server.kv;

import io.keel.api.etcdserverpb.AlarmRequest;
import io.keel.api.etcdserverpb.AlarmType;
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
import io.keel.api.internal.v1.InternalRequest;
import io.keel.server.errors.EtcdError;
import io.keel.server.errors.EtcdException;
import io.keel.server.observe.CallTrace;
import io.keel.server.raftnode.RaftNode;
import io.keel.server.request.Proposer;
import io.keel.server.request.ResponseHeaders;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.QuotaCost;
import io.keel.tracing.span.SpanHandle;
import io.keel.tracing.span.SpanStep;
import io.keel.tracing.steps.Field;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * etcd's KV service over Raft and the MVCC store. Writes are proposed and answered once applied;
 * linearizable reads wait for a ReadIndex barrier, serializable ones read the local store at once.
 * Reads run on the {@code readers} executor, never on the caller's event loop.
 *
 * <p>Thread-safe; never blocks the calling thread.
 */
public final class RaftKvBackend implements KvBackend {
    private final RaftNode node;
    private final MvccStore store;
    private final Proposer proposer;
    private final ResponseHeaders headers;
    private final Executor readers;

    public RaftKvBackend(RaftNode node, MvccStore store, Proposer proposer, ResponseHeaders headers,
                         Executor readers) {
        this.node = node;
        this.store = store;
        this.proposer = proposer;
        this.headers = headers;
        this.readers = readers;
    }

    @Override
    public CompletionStage<RangeResponse> range(RangeRequest request) {
        return range(request, CallTrace.untraced());
    }

    @Override
    public CompletionStage<PutResponse> put(PutRequest request) {
        return put(request, CallTrace.untraced());
    }

    @Override
    public CompletionStage<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
        return deleteRange(request, CallTrace.untraced());
    }

    @Override
    public CompletionStage<TxnResponse> txn(TxnRequest request) {
        return txn(request, CallTrace.untraced());
    }

    @Override
    public CompletionStage<RangeResponse> range(RangeRequest request, CallTrace trace) {
        var mapped = KvProtoMapping.range(request);
        // Reads run on the reader pool, never on the calling event loop (DESIGN.md section 5: event
        // loops only decode, route and encode), even a one-key get: LMDB pages are memory-mapped,
        // and a lookup that faults on a cold page waits for the disk.
        return readBarrier(request.getSerializable(), trace)
                .thenApplyAsync(x -> rangeNow(mapped, trace), readers);
    }

    private RangeResponse rangeNow(io.keel.storage.mvcc.RangeRequest mapped, CallTrace trace) {
        var result = read(trace, () -> store.range(mapped));
        trace.step("range keys from store");
        RangeResponse response = KvProtoMapping.rangeResponse(result, headers::at);
        trace.addField(Field.of("response_count", response.getCount()),
                Field.of("response_revision", response.getHeader().getRevision()));
        trace.step("assemble the response");
        return response;
    }

    @Override
    public CompletionStage<PutResponse> put(PutRequest request, CallTrace trace) {
        return checkQuota(QuotaCost.of(KvProtoMapping.put(request)))
                .thenCompose(x -> proposer.propose(InternalRequest.newBuilder().setPut(request), trace.span()))
                .thenApply(r -> {
                    trace.step("process raft request");
                    PutResponse response = KvProtoMapping.putResponse((io.keel.storage.mvcc.PutResponse) r.value(),
                            rev -> headers.at(r.revision()));
                    trace.addField(Field.of("response_revision", r.revision()));
                    return response;
                });
    }

    @Override
    public CompletionStage<DeleteRangeResponse> deleteRange(DeleteRangeRequest request, CallTrace trace) {
        return proposer.propose(InternalRequest.newBuilder().setDeleteRange(request), trace.span())
                .thenApply(r -> {
                    trace.step("process raft request");
                    trace.addField(Field.of("response_revision", r.revision()));
                    return KvProtoMapping.deleteResponse((io.keel.storage.mvcc.DeleteRangeResponse) r.value(),
                            rev -> headers.at(r.revision()));
                });
    }

    @Override
    public CompletionStage<TxnResponse> txn(TxnRequest request, CallTrace trace) {
        var mapped = KvProtoMapping.txn(request);
        if (mapped.isReadOnly()) {
            // As etcd: a txn that only reads is served like a linearizable range, not proposed.
            return readBarrier(false, trace)
                    .thenApplyAsync(x -> {
                        var result = read(trace, () -> store.txn(mapped));
                        trace.step("evaluate txn on store");
                        return KvProtoMapping.txnResponse(result, headers::at);
                    }, readers);
        }
        return checkQuota(QuotaCost.of(mapped))
                .thenCompose(x -> proposer.propose(InternalRequest.newBuilder().setTxn(request), trace.span()))
                .thenApply(r -> {
                    trace.step("process raft request");
                    trace.addField(Field.of("response_revision", r.revision()));
                    return KvProtoMapping.txnResponse((io.keel.storage.mvcc.TxnResponse) r.value(),
                            rev -> headers.at(r.revision()));
                });
    }

    /** Runs a store read inside an {@code mvcc.read} span of the call (none when untraced). */
    private static <T> T read(CallTrace trace, Supplier<T> read) {
        SpanHandle span = trace.span().startChild(SpanStep.MVCC_READ);
        try {
            return read.get();
        } finally {
            span.end();
        }
    }

    @Override
    public CompletionStage<CompactionResponse> compact(CompactionRequest request) {
        return proposer.propose(InternalRequest.newBuilder().setCompaction(request))
                .thenCompose(r -> (request.getPhysical() ? r.afterApply() : CompletableFuture.<Void>completedFuture(null))
                        .thenApply(x -> CompactionResponse.newBuilder().setHeader(headers.at(r.revision())).build()));
    }

    /** Completes when a read may be served: at once if serializable, else after ReadIndex. */
    private CompletableFuture<Long> readBarrier(boolean serializable, CallTrace trace) {
        if (serializable) {
            return CompletableFuture.completedFuture(0L);
        }
        SpanHandle wait = trace.span().startChild(SpanStep.READ_INDEX);
        return node.linearizableBarrier()
                .whenComplete((index, err) -> {
                    wait.end();
                    trace.step("agreement among raft nodes before linearized reading");
                })
                .orTimeout(proposer.timeoutMillis(), TimeUnit.MILLISECONDS)
                .handle((index, err) -> {
                    if (err != null) {
                        Throwable cause = err instanceof CompletionException && err.getCause() != null
                                ? err.getCause() : err;
                        if (cause instanceof TimeoutException) {
                            node.readIndexTimedOut();
                        }
                        throw proposer.translate(err);
                    }
                    return index;
                });
    }

    /**
     * etcd's quota check before proposing: a write that would take the db over the quota raises
     * the NOSPACE alarm (through Raft, so every member sees it) and fails.
     */
    private CompletableFuture<Void> checkQuota(long costBytes) {
        if (store.quotaAvailable(costBytes)) {
            return CompletableFuture.completedFuture(null);
        }
        AlarmRequest raise = AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.ACTIVATE)
                .setMemberID(headers.memberId()).setAlarm(AlarmType.NOSPACE).build();
        proposer.propose(InternalRequest.newBuilder().setAlarm(raise));
        return CompletableFuture.failedFuture(new EtcdException(EtcdError.NO_SPACE));
    }

}
