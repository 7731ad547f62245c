package io.keel.server.lease;

import io.keel.api.etcdserverpb.LeaseGrantRequest;
import io.keel.api.etcdserverpb.LeaseGrantResponse;
import io.keel.api.etcdserverpb.LeaseKeepAliveResponse;
import io.keel.api.etcdserverpb.LeaseLeasesResponse;
import io.keel.api.etcdserverpb.LeaseRevokeRequest;
import io.keel.api.etcdserverpb.LeaseRevokeResponse;
import io.keel.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.keel.api.etcdserverpb.LeaseTimeToLiveResponse;

import java.util.concurrent.CompletionStage;

/**
 * etcd's Lease service as the gRPC layer calls it. Failures complete the stage with an
 * {@link io.keel.server.errors.EtcdException}. Implementations are thread-safe and never block
 * the calling thread.
 */
public interface LeaseBackend {
    CompletionStage<LeaseGrantResponse> grant(LeaseGrantRequest request);

    CompletionStage<LeaseRevokeResponse> revoke(LeaseRevokeRequest request);

    /** One keep-alive: TTL 0 when the lease does not exist (etcd's answer). */
    CompletionStage<LeaseKeepAliveResponse> keepAlive(long leaseId);

    /** TTL -1 when the lease does not exist (etcd's answer). */
    CompletionStage<LeaseTimeToLiveResponse> timeToLive(LeaseTimeToLiveRequest request);

    CompletionStage<LeaseLeasesResponse> leases();
}
