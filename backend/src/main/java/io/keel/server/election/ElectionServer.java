package io.keel.server.election;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.Compare;
import io.keel.api.etcdserverpb.DeleteRangeRequest;
import io.keel.api.etcdserverpb.PutRequest;
import io.keel.api.etcdserverpb.RangeRequest;
import io.keel.api.etcdserverpb.RequestOp;
import io.keel.api.etcdserverpb.ResponseHeader;
import io.keel.api.etcdserverpb.TxnRequest;
import io.keel.api.v3electionpb.CampaignRequest;
import io.keel.api.v3electionpb.CampaignResponse;
import io.keel.api.v3electionpb.LeaderKey;
import io.keel.api.v3electionpb.LeaderRequest;
import io.keel.api.v3electionpb.LeaderResponse;
import io.keel.api.v3electionpb.ProclaimRequest;
import io.keel.api.v3electionpb.ProclaimResponse;
import io.keel.api.v3electionpb.ResignRequest;
import io.keel.api.v3electionpb.ResignResponse;
import io.keel.server.kv.KvBackend;
import io.keel.server.lock.ConcurrencyError;
import io.keel.server.lock.DeletionWaiter;
import io.keel.server.lock.LockServer;
import io.keel.server.lock.SessionLease;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * etcd's v3election service with the semantics of its concurrency.Election, on the member's own
 * KV (through Raft) and watch hub: a candidate's key is {@code <name>/<lease in hex>} holding its
 * value (lease 0: a fresh 60-second one, see {@link SessionLease}); the leader is the key created first; Campaign waits for every earlier candidate's key to
 * be deleted. Observe lives in {@link LeaderObserver}. Nothing blocks. Thread-safe.
 */
public final class ElectionServer {
    private final KvBackend kv;
    private final DeletionWaiter waiter;
    private final SessionLease sessions;

    public ElectionServer(KvBackend kv, DeletionWaiter waiter, SessionLease sessions) {
        this.kv = kv;
        this.waiter = waiter;
        this.sessions = sessions;
    }

    static ByteString prefix(ByteString name) {
        return name.concat(ByteString.copyFromUtf8("/"));
    }

    public CompletionStage<CampaignResponse> campaign(CampaignRequest req) {
        return sessions.resolve(req.getLease()).thenCompose(lease -> campaign(req, lease));
    }

    private CompletionStage<CampaignResponse> campaign(CampaignRequest req, long lease) {
        ByteString pfx = prefix(req.getName());
        ByteString key = pfx.concat(ByteString.copyFromUtf8(LockServer.leaseHex(lease)));
        TxnRequest txn = TxnRequest.newBuilder()
                .addCompare(createRevisionIs(key, 0))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key)
                        .setValue(req.getValue()).setLease(lease)))
                .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)))
                .build();
        return kv.txn(txn).thenCompose(resp -> {
            long rev = resp.getSucceeded() ? resp.getHeader().getRevision()
                    : resp.getResponses(0).getResponseRange().getKvs(0).getCreateRevision();
            LeaderKey leader = LeaderKey.newBuilder().setName(req.getName()).setKey(key).setRev(rev)
                    .setLease(lease).build();
            CompletionStage<Void> proclaimed = CompletableFuture.completedFuture(null);
            if (!resp.getSucceeded()
                    && !resp.getResponses(0).getResponseRange().getKvs(0).getValue().equals(req.getValue())) {
                // Already a candidate with another value: take the new value, as etcd does.
                proclaimed = proclaim(ProclaimRequest.newBuilder().setLeader(leader).setValue(req.getValue()).build())
                        .thenApply(p -> (Void) null)
                        .exceptionallyCompose(t -> resign(ResignRequest.newBuilder().setLeader(leader).build())
                                .handle((r, ignored) -> null)
                                .thenCompose(v -> CompletableFuture.failedFuture(t)));
            }
            return proclaimed.thenCompose(v -> waiter.waitDeletes(pfx, rev - 1))
                    .thenApply(h -> CampaignResponse.newBuilder().setHeader(resp.getHeader()).setLeader(leader).build());
        });
    }

    public CompletionStage<ProclaimResponse> proclaim(ProclaimRequest req) {
        if (!req.hasLeader()) {
            return CompletableFuture.failedFuture(ConcurrencyError.MISSING_LEADER_KEY.exception());
        }
        LeaderKey l = req.getLeader();
        TxnRequest txn = TxnRequest.newBuilder().addCompare(createRevisionIs(l.getKey(), l.getRev()))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(l.getKey())
                        .setValue(req.getValue()).setLease(l.getLease())))
                .build();
        return kv.txn(txn).thenCompose(resp -> resp.getSucceeded()
                ? CompletableFuture.completedFuture(ProclaimResponse.newBuilder().setHeader(resp.getHeader()).build())
                : CompletableFuture.failedFuture(ConcurrencyError.ELECTION_NOT_LEADER.exception()));
    }

    public CompletionStage<ResignResponse> resign(ResignRequest req) {
        if (!req.hasLeader()) {
            return CompletableFuture.failedFuture(ConcurrencyError.MISSING_LEADER_KEY.exception());
        }
        LeaderKey l = req.getLeader();
        TxnRequest txn = TxnRequest.newBuilder().addCompare(createRevisionIs(l.getKey(), l.getRev()))
                .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder()
                        .setKey(l.getKey())))
                .build();
        return kv.txn(txn).thenApply(resp -> ResignResponse.newBuilder().setHeader(resp.getHeader()).build());
    }

    public CompletionStage<LeaderResponse> leader(LeaderRequest req) {
        return kv.range(DeletionWaiter.firstCreated(prefix(req.getName()))).thenCompose(resp -> resp.getKvsCount() == 0
                ? CompletableFuture.failedFuture(ConcurrencyError.ELECTION_NO_LEADER.exception())
                : CompletableFuture.completedFuture(leaderResponse(resp.getHeader(), resp.getKvs(0))));
    }

    static LeaderResponse leaderResponse(ResponseHeader h, io.keel.api.mvccpb.KeyValue kv) {
        return LeaderResponse.newBuilder().setHeader(h).setKv(kv).build();
    }

    private static Compare createRevisionIs(ByteString key, long rev) {
        return Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.CREATE)
                .setResult(Compare.CompareResult.EQUAL).setCreateRevision(rev).build();
    }
}
