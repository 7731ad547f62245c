package io.keel.server.lock;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.Compare;
import io.keel.api.etcdserverpb.DeleteRangeRequest;
import io.keel.api.etcdserverpb.PutRequest;
import io.keel.api.etcdserverpb.RangeRequest;
import io.keel.api.etcdserverpb.RequestOp;
import io.keel.api.etcdserverpb.TxnRequest;
import io.keel.api.etcdserverpb.TxnResponse;
import io.keel.api.v3lockpb.LockRequest;
import io.keel.api.v3lockpb.LockResponse;
import io.keel.api.v3lockpb.UnlockRequest;
import io.keel.api.v3lockpb.UnlockResponse;
import io.keel.server.kv.KvBackend;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * etcd's v3lock service with the semantics of its concurrency.Mutex, on the member's own KV
 * (through Raft) and watch hub: the lock key is {@code <name>/<lease in hex>}, created with the
 * lease (lease 0: a fresh 60-second one, see {@link SessionLease}); waiters queue by create revision,
 * each waiting for the deletion of the key created just before its own; the lock dies with the lease. Nothing blocks: every step is a future. Thread-safe.
 */
public final class LockServer {
    private final KvBackend kv;
    private final DeletionWaiter waiter;
    private final SessionLease sessions;

    public LockServer(KvBackend kv, DeletionWaiter waiter, SessionLease sessions) {
        this.kv = kv;
        this.waiter = waiter;
        this.sessions = sessions;
    }

    /** Go's {@code %x} of a lease id, as the concurrency package names session keys. */
    public static String leaseHex(long lease) {
        return lease < 0 ? "-" + Long.toHexString(-lease) : Long.toHexString(lease);
    }

    public CompletionStage<LockResponse> lock(LockRequest req) {
        return sessions.resolve(req.getLease()).thenCompose(lease -> lock(req.getName(), lease));
    }

    private CompletionStage<LockResponse> lock(ByteString name, long lease) {
        ByteString pfx = name.concat(ByteString.copyFromUtf8("/"));
        ByteString myKey = pfx.concat(ByteString.copyFromUtf8(leaseHex(lease)));
        TxnRequest acquire = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(myKey).setTarget(Compare.CompareTarget.CREATE)
                        .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(myKey)
                        .setLease(lease)))
                .addSuccess(RequestOp.newBuilder().setRequestRange(DeletionWaiter.firstCreated(pfx)))
                .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(myKey)))
                .addFailure(RequestOp.newBuilder().setRequestRange(DeletionWaiter.firstCreated(pfx)))
                .build();
        return kv.txn(acquire).thenCompose(resp -> {
            long myRev = myRevision(resp);
            var owner = resp.getResponses(1).getResponseRange().getKvsList();
            if (owner.isEmpty() || owner.get(0).getCreateRevision() == myRev) {
                return CompletableFuture.completedFuture(response(resp.getHeader(), myKey));
            }
            return waiter.waitDeletes(pfx, myRev - 1)
                    .thenCompose(h -> kv.range(RangeRequest.newBuilder().setKey(myKey).build()))
                    .thenCompose(g -> {
                        if (g.getKvsCount() == 0) {
                            return CompletableFuture.<LockResponse>failedFuture(ConcurrencyError.SESSION_EXPIRED.exception());
                        }
                        return CompletableFuture.completedFuture(response(g.getHeader(), myKey));
                    })
                    .exceptionallyCompose(t -> releaseThenFail(myKey, t));
        });
    }

    public CompletionStage<UnlockResponse> unlock(UnlockRequest req) {
        return kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(req.getKey()).build())
                .thenApply(d -> UnlockResponse.newBuilder().setHeader(d.getHeader()).build());
    }

    static long myRevision(TxnResponse resp) {
        return resp.getSucceeded() ? resp.getHeader().getRevision()
                : resp.getResponses(0).getResponseRange().getKvs(0).getCreateRevision();
    }

    private CompletionStage<LockResponse> releaseThenFail(ByteString myKey, Throwable t) {
        return kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(myKey).build())
                .handle((d, ignored) -> null)
                .thenCompose(v -> CompletableFuture.failedFuture(t));
    }

    private static LockResponse response(io.keel.api.etcdserverpb.ResponseHeader h, ByteString key) {
        return LockResponse.newBuilder().setHeader(h).setKey(key).build();
    }
}
