package io.keel.server.learner;

import io.keel.api.etcdserverpb.LeaseGrantRequest;
import io.keel.api.etcdserverpb.LeaseGrantResponse;
import io.keel.api.etcdserverpb.LeaseKeepAliveResponse;
import io.keel.api.etcdserverpb.LeaseLeasesResponse;
import io.keel.api.etcdserverpb.LeaseRevokeRequest;
import io.keel.api.etcdserverpb.LeaseRevokeResponse;
import io.keel.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.keel.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.keel.server.lease.LeaseBackend;

import java.util.concurrent.CompletionStage;

/** A learner serves no Lease call, as etcd 3.5. Stateless apart from its delegate; thread-safe. */
final class LearnerLeaseBackend implements LeaseBackend {
    private final LeaseBackend delegate;
    private final LearnerGate gate;

    LearnerLeaseBackend(LeaseBackend delegate, LearnerGate gate) {
        this.delegate = delegate;
        this.gate = gate;
    }

    @Override
    public CompletionStage<LeaseGrantResponse> grant(LeaseGrantRequest request) {
        return gate.unlessLearner(false, () -> delegate.grant(request));
    }

    @Override
    public CompletionStage<LeaseRevokeResponse> revoke(LeaseRevokeRequest request) {
        return gate.unlessLearner(false, () -> delegate.revoke(request));
    }

    @Override
    public CompletionStage<LeaseKeepAliveResponse> keepAlive(long leaseId) {
        return gate.unlessLearner(false, () -> delegate.keepAlive(leaseId));
    }

    @Override
    public CompletionStage<LeaseTimeToLiveResponse> timeToLive(LeaseTimeToLiveRequest request) {
        return gate.unlessLearner(false, () -> delegate.timeToLive(request));
    }

    @Override
    public CompletionStage<LeaseLeasesResponse> leases() {
        return gate.unlessLearner(false, delegate::leases);
    }
}
