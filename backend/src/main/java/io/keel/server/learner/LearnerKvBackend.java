package io.keel.server.learner;

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
import io.keel.server.observe.CallTrace;
import java.util.concurrent.CompletionStage;

/** KV through the {@link LearnerGate}: a learner serves serializable ranges only. Thread-safe. */
final class LearnerKvBackend implements KvBackend {
    private final KvBackend inner;
    private final LearnerGate gate;

    LearnerKvBackend(KvBackend inner, LearnerGate gate) {
        this.inner = inner;
        this.gate = gate;
    }

    @Override
    public CompletionStage<RangeResponse> range(RangeRequest request) {
        return gate.unlessLearner(LearnerGate.servesForLearner(request), () -> inner.range(request));
    }

    @Override
    public CompletionStage<PutResponse> put(PutRequest request) {
        return gate.unlessLearner(false, () -> inner.put(request));
    }

    @Override
    public CompletionStage<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
        return gate.unlessLearner(false, () -> inner.deleteRange(request));
    }

    @Override
    public CompletionStage<TxnResponse> txn(TxnRequest request) {
        return gate.unlessLearner(false, () -> inner.txn(request));
    }

    @Override
    public CompletionStage<CompactionResponse> compact(CompactionRequest request) {
        return gate.unlessLearner(false, () -> inner.compact(request));
    }

    // The traced variants must reach the inner back end's, or the call's spans stop here.

    @Override
    public CompletionStage<RangeResponse> range(RangeRequest request, CallTrace trace) {
        return gate.unlessLearner(LearnerGate.servesForLearner(request), () -> inner.range(request, trace));
    }

    @Override
    public CompletionStage<PutResponse> put(PutRequest request, CallTrace trace) {
        return gate.unlessLearner(false, () -> inner.put(request, trace));
    }

    @Override
    public CompletionStage<DeleteRangeResponse> deleteRange(DeleteRangeRequest request, CallTrace trace) {
        return gate.unlessLearner(false, () -> inner.deleteRange(request, trace));
    }

    @Override
    public CompletionStage<TxnResponse> txn(TxnRequest request, CallTrace trace) {
        return gate.unlessLearner(false, () -> inner.txn(request, trace));
    }
}
