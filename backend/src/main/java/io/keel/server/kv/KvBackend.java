package io.keel.server.kv;

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
import io.keel.server.observe.CallTrace;
import java.util.concurrent.CompletionStage;

/**
 * The key-value service behind the etcd KV API: what the Raft node plus the MVCC store will
 * implement (reads against the store, writes proposed through Raft and answered once applied).
 *
 * <p>Threading contract: methods are called on a Vert.x event loop and must not block. An
 * implementation queues the work on threads it owns and completes the stage from any thread; a
 * bounded read (one key's lookup, no scan) may be served at once on the calling thread instead. The
 * gRPC layer has already checked the request as etcd's API layer does (empty key, txn op count,
 * duplicate keys) and bounds how many calls are in flight. Expected failures complete the stage
 * exceptionally with {@link io.keel.server.errors.EtcdException}. Responses carry their own
 * header (cluster id, member id, revision, raft term). Implementations must be thread-safe.
 */
public interface KvBackend {
    CompletionStage<RangeResponse> range(RangeRequest request);

    CompletionStage<PutResponse> put(PutRequest request);

    CompletionStage<DeleteRangeResponse> deleteRange(DeleteRangeRequest request);

    CompletionStage<TxnResponse> txn(TxnRequest request);

    CompletionStage<CompactionResponse> compact(CompactionRequest request);

    // Traced variants: the call's span and step trace travel with the request. A back end that
    // records nothing keeps these defaults.

    default CompletionStage<RangeResponse> range(RangeRequest request, CallTrace trace) {
        return range(request);
    }

    default CompletionStage<PutResponse> put(PutRequest request, CallTrace trace) {
        return put(request);
    }

    default CompletionStage<DeleteRangeResponse> deleteRange(DeleteRangeRequest request, CallTrace trace) {
        return deleteRange(request);
    }

    default CompletionStage<TxnResponse> txn(TxnRequest request, CallTrace trace) {
        return txn(request);
    }
}
