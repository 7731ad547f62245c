package io.keel.backend.grpc;

import io.keel.api.etcdserverpb.CompactionRequest;
import io.keel.api.etcdserverpb.CompactionResponse;
import io.keel.api.etcdserverpb.DeleteRangeRequest;
import io.keel.api.etcdserverpb.DeleteRangeResponse;
import io.keel.api.etcdserverpb.KVService;
import io.keel.api.etcdserverpb.PutRequest;
import io.keel.api.etcdserverpb.PutResponse;
import io.keel.api.etcdserverpb.RangeRequest;
import io.keel.api.etcdserverpb.RangeResponse;
import io.keel.api.etcdserverpb.TxnRequest;
import io.keel.api.etcdserverpb.TxnResponse;
import io.keel.backend.handoff.BoundedHandoff;
import io.keel.server.kv.KvBackend;
import io.keel.server.observe.CallTrace;
import io.vertx.core.Future;
import java.util.Objects;

/**
 * The etcd KV service on the event loop: checks each request as etcd's API layer does and hands it
 * to the {@link KvBackend} through a bounded hand-off. Owned by {@link EtcdGrpcServer}; stateless
 * apart from its collaborators; thread-safe.
 */
public final class KvRpcs extends KVService {
    private final KvBackend backend;
    private final BoundedHandoff handoff;
    private final long maxTxnOps;

    public KvRpcs(KvBackend backend, BoundedHandoff handoff, long maxTxnOps) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.handoff = Objects.requireNonNull(handoff, "handoff");
        this.maxTxnOps = maxTxnOps;
    }

    @Override
    public Future<RangeResponse> range(RangeRequest request) {
        return range(request, CallTrace.untraced());
    }

    @Override
    public Future<PutResponse> put(PutRequest request) {
        return put(request, CallTrace.untraced());
    }

    @Override
    public Future<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
        return deleteRange(request, CallTrace.untraced());
    }

    @Override
    public Future<TxnResponse> txn(TxnRequest request) {
        return txn(request, CallTrace.untraced());
    }

    public Future<RangeResponse> range(RangeRequest request, CallTrace trace) {
        return HandedOffCall.run(handoff, () -> KvRequestChecks.checkRange(request),
                () -> backend.range(request, trace));
    }

    public Future<PutResponse> put(PutRequest request, CallTrace trace) {
        return HandedOffCall.run(handoff, () -> KvRequestChecks.checkPut(request), () -> backend.put(request, trace));
    }

    public Future<DeleteRangeResponse> deleteRange(DeleteRangeRequest request, CallTrace trace) {
        return HandedOffCall.run(handoff, () -> KvRequestChecks.checkDelete(request),
                () -> backend.deleteRange(request, trace));
    }

    public Future<TxnResponse> txn(TxnRequest request, CallTrace trace) {
        return HandedOffCall.run(handoff, () -> KvRequestChecks.checkTxn(request, maxTxnOps),
                () -> backend.txn(request, trace));
    }

    @Override
    public Future<CompactionResponse> compact(CompactionRequest request) {
        return HandedOffCall.run(handoff, () -> backend.compact(request));
    }
}
