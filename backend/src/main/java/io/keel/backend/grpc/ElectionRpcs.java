package io.keel.backend.grpc;

import io.keel.api.v3electionpb.CampaignRequest;
import io.keel.api.v3electionpb.CampaignResponse;
import io.keel.api.v3electionpb.ElectionService;
import io.keel.api.v3electionpb.LeaderRequest;
import io.keel.api.v3electionpb.LeaderResponse;
import io.keel.api.v3electionpb.ProclaimRequest;
import io.keel.api.v3electionpb.ProclaimResponse;
import io.keel.api.v3electionpb.ResignRequest;
import io.keel.api.v3electionpb.ResignResponse;
import io.keel.server.election.ElectionServer;
import io.keel.server.election.LeaderObserver;
import io.keel.server.kv.KvBackend;
import io.keel.server.watch.WatchHub;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.Objects;

/**
 * etcd's v3election service on the event loop, answered by the {@link ElectionServer}; each
 * Observe stream is a {@link LeaderObserver} whose responses are written on the stream's context.
 * Thread-safe.
 */
public final class ElectionRpcs extends ElectionService {
    private final ElectionServer server;
    private final KvBackend kv;
    private final WatchHub hub;
    private final StreamMessages.Method observeMessages;

    public ElectionRpcs(ElectionServer server, KvBackend kv, WatchHub hub) {
        this(server, kv, hub, StreamMessages.NONE);
    }

    /** @param messages counts every response of each Observe stream */
    public ElectionRpcs(ElectionServer server, KvBackend kv, WatchHub hub, StreamMessages messages) {
        this.server = Objects.requireNonNull(server, "server");
        this.kv = kv;
        this.hub = hub;
        this.observeMessages = messages.method("/v3electionpb.Election/Observe");
    }

    @Override
    public Future<CampaignResponse> campaign(CampaignRequest request) {
        return GrpcErrors.mapped(Future.fromCompletionStage(server.campaign(request)));
    }

    @Override
    public Future<ProclaimResponse> proclaim(ProclaimRequest request) {
        return GrpcErrors.mapped(Future.fromCompletionStage(server.proclaim(request)));
    }

    @Override
    public Future<LeaderResponse> leader(LeaderRequest request) {
        return GrpcErrors.mapped(Future.fromCompletionStage(server.leader(request)));
    }

    @Override
    public Future<ResignResponse> resign(ResignRequest request) {
        return GrpcErrors.mapped(Future.fromCompletionStage(server.resign(request)));
    }

    @Override
    protected void observe(LeaderRequest request, WriteStream<LeaderResponse> response) {
        Context context = Vertx.currentContext();
        LeaderObserver[] observer = new LeaderObserver[1];
        observer[0] = new LeaderObserver(kv, hub, request.getName(),
                r -> context.runOnContext(v -> {
                    response.write(r).onFailure(t -> observer[0].close());
                    observeMessages.sent();
                }),
                t -> context.runOnContext(v -> {
                    if (response instanceof GrpcServerResponse<?, ?> grpc) {
                        grpc.fail(GrpcErrors.toStatusException(t));
                    } else {
                        response.end();
                    }
                }));
        response.exceptionHandler(t -> observer[0].close());
        observer[0].start();
    }
}
