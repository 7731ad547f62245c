package io.keel.server.lease;

import io.keel.api.etcdserverpb.LeaseKeepAliveResponse;
import io.keel.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.keel.api.etcdserverpb.LeaseTimeToLiveResponse;

import java.net.URI;
import java.util.concurrent.CompletionStage;

/**
 * Sends the lease calls only the leader can answer (keep-alive, time-to-live) to the leader, as
 * etcd's followers forward them. Implementations are thread-safe and never block.
 */
public interface LeaseForwarder {
    CompletionStage<LeaseKeepAliveResponse> keepAlive(URI leaderClientUrl, long leaseId);

    CompletionStage<LeaseTimeToLiveResponse> timeToLive(URI leaderClientUrl, LeaseTimeToLiveRequest request);
}
