package io.keel.server.learner;

import io.keel.api.etcdserverpb.RangeRequest;
import io.keel.server.ServerBackends;
import io.keel.server.errors.EtcdError;
import io.keel.server.errors.EtcdException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What a learner serves, as etcd 3.5's gRPC interceptors decide it: while this member is a
 * learner, only Maintenance/Status, serializable KV/Range and the Maintenance/Snapshot stream are
 * served; every other call fails with {@code etcdserver: rpc not supported for learner}
 * (UNAVAILABLE), before it reaches the back end, and so does every new Watch, LeaseKeepAlive or
 * Observe stream (etcd's stream interceptor). Once promoted, everything is served again.
 * Back ends added later must be wrapped here too; the watch hub is passed through as it is.
 *
 * <p>Stateless apart from the {@code isLearner} supplier, which must be cheap and thread-safe;
 * thread-safe.
 */
public final class LearnerGate {
    private final BooleanSupplier isLearner;

    public LearnerGate(BooleanSupplier isLearner) {
        this.isLearner = isLearner;
    }

    /** {@code backends} with every served call passing this gate first. */
    public ServerBackends wrap(ServerBackends backends) {
        ServerBackends out = ServerBackends.unwired().withHealth(backends.health()).withLearner(isLearner);
        if (backends.watch().isPresent()) {
            // The hub also serves Lock/Election waiting inside the member, so it is passed as it
            // is; the stream services refuse a learner's new streams through withLearner.
            out = out.withWatch(backends.watch().get());
        }
        if (backends.lease().isPresent()) {
            out = out.withLease(new LearnerLeaseBackend(backends.lease().get(), this));
        }
        if (backends.kv().isPresent()) {
            out = out.withKv(new LearnerKvBackend(backends.kv().get(), this));
        }
        if (backends.cluster().isPresent()) {
            out = out.withCluster(new LearnerClusterBackend(backends.cluster().get(), this));
        }
        if (backends.maintenance().isPresent()) {
            out = out.withMaintenance(new LearnerMaintenanceBackend(backends.maintenance().get(), this));
        }
        return out;
    }

    /** etcd's isRPCSupportedForLearner for a Range. */
    public static boolean servesForLearner(RangeRequest request) {
        return request.getSerializable();
    }

    /** Runs {@code call} unless this member is a learner and {@code supported} is false. */
    <T> CompletionStage<T> unlessLearner(boolean supported, Supplier<CompletionStage<T>> call) {
        if (!supported && isLearner.getAsBoolean()) {
            return CompletableFuture.failedFuture(new EtcdException(EtcdError.NOT_SUPPORTED_FOR_LEARNER));
        }
        return call.get();
    }
}
