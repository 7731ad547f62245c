package io.keel.backend.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keel.api.etcdserverpb.LeaseLeasesRequest;
import io.keel.api.etcdserverpb.LeaseLeasesResponse;
import io.keel.api.etcdserverpb.PutRequest;
import io.keel.api.etcdserverpb.PutResponse;
import io.keel.api.etcdserverpb.RangeRequest;
import io.keel.api.etcdserverpb.RangeResponse;
import io.keel.api.etcdserverpb.RequestOp;
import io.keel.api.etcdserverpb.TxnRequest;
import io.keel.api.etcdserverpb.TxnResponse;
import io.keel.api.health.v1.HealthCheckRequest;
import io.keel.api.health.v1.HealthCheckResponse;
import io.keel.api.health.v1.HealthCheckResponse.ServingStatus;
import io.keel.backend.RunningServer;
import io.keel.server.ServerBackends;
import io.keel.server.health.HealthCheckName;
import io.keel.server.health.HealthProbe;
import io.keel.server.health.HealthStatus;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gRPC shell seen by grpc-java, an independent client. */
class EtcdGrpcServerTest {
    private static final RangeRequest RANGE_FOO = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("foo")).build();

    private static StatusRuntimeException statusOf(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("call succeeded");
    }

    @Test
    void unwiredMethodsAnswerUnimplemented() throws Exception {
        try (RunningServer s = RunningServer.start(ServerBackends.unwired()); RawGrpc grpc = new RawGrpc(s.port)) {
            for (String method : new String[] {"etcdserverpb.KV/Range", "etcdserverpb.Lease/LeaseLeases",
                    "etcdserverpb.Maintenance/Status", "v3lockpb.Lock/Lock"}) {
                StatusRuntimeException e = statusOf(() -> grpc.call(method, LeaseLeasesRequest.getDefaultInstance(),
                        LeaseLeasesResponse.getDefaultInstance()));
                assertThat(e.getStatus().getCode()).as(method).isEqualTo(Status.Code.UNIMPLEMENTED);
            }
        }
    }

    @Test
    void putWithoutKeyIsRefusedWithEtcdsTextBeforeReachingTheBackend() throws Exception {
        HeldKv kv = new HeldKv();
        try (RunningServer s = RunningServer.start(ServerBackends.unwired().withKv(kv)); RawGrpc grpc = new RawGrpc(s.port)) {
            StatusRuntimeException e = statusOf(() -> grpc.call("etcdserverpb.KV/Put", PutRequest.getDefaultInstance(),
                    PutResponse.getDefaultInstance()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: key is not provided");
            grpc.call("etcdserverpb.KV/Put", PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build(),
                    PutResponse.getDefaultInstance());
            assertThat(kv.puts).hasSize(1);
        }
    }

    @Test
    void txnOverMaxTxnOpsIsRefused() throws Exception {
        HeldKv kv = new HeldKv();
        try (RunningServer s = RunningServer.start(ServerBackends.unwired().withKv(kv), "--max-txn-ops", "2");
             RawGrpc grpc = new RawGrpc(s.port)) {
            TxnRequest.Builder txn = TxnRequest.newBuilder();
            for (String k : new String[] {"a", "b", "c"}) {
                txn.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(k))));
            }
            StatusRuntimeException e = statusOf(() -> grpc.call("etcdserverpb.KV/Txn", txn.build(), TxnResponse.getDefaultInstance()));
            assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: too many operations in txn request");
            assertThat(kv.txns).isEmpty();
        }
    }

    @Test
    void callsOverTheInFlightBoundGetTooManyRequestsAndTheOthersStillComplete() throws Exception {
        HeldKv kv = new HeldKv();
        try (var vertx = new AutoCloseableVertx()) {
            // Server with a KV bound of 2 in-flight calls.
            var grpcServer = EtcdGrpcServer.create(vertx.vertx, ServerBackends.unwired().withKv(kv),
                    new EtcdGrpcServer.Limits(2, 2, 2, 128, 2 << 20));
            int port = vertx.listen(grpcServer);
            try (RawGrpc grpc = new RawGrpc(port)) {
                ListenableFuture<RangeResponse> first = grpc.callAsync("etcdserverpb.KV/Range", RANGE_FOO, RangeResponse.getDefaultInstance());
                CompletableFuture<RangeResponse> held1 = kv.ranges.take();
                ListenableFuture<RangeResponse> second = grpc.callAsync("etcdserverpb.KV/Range", RANGE_FOO, RangeResponse.getDefaultInstance());
                CompletableFuture<RangeResponse> held2 = kv.ranges.take();

                StatusRuntimeException e = statusOf(() -> grpc.call("etcdserverpb.KV/Range", RANGE_FOO, RangeResponse.getDefaultInstance()));
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: too many requests");

                held1.complete(RangeResponse.newBuilder().setCount(1).build());
                held2.complete(RangeResponse.newBuilder().setCount(2).build());
                assertThat(first.get(30, TimeUnit.SECONDS).getCount()).isEqualTo(1);
                assertThat(second.get(30, TimeUnit.SECONDS).getCount()).isEqualTo(2);
                // Capacity is back once the held calls completed.
                ListenableFuture<RangeResponse> third = grpc.callAsync("etcdserverpb.KV/Range", RANGE_FOO, RangeResponse.getDefaultInstance());
                kv.ranges.take().complete(RangeResponse.newBuilder().setCount(3).build());
                assertThat(third.get(30, TimeUnit.SECONDS).getCount()).isEqualTo(3);
            }
        }
    }

    @Test
    void grpcHealthFollowsTheProbe() throws Exception {
        HealthProbe healthy = new HealthProbe() {
            @Override
            public CompletionStage<HealthStatus> health(boolean serializable, Set<String> excludedAlarms) {
                return CompletableFuture.completedFuture(HealthStatus.OK);
            }

            @Override
            public CompletionStage<HealthStatus> check(HealthCheckName name) {
                return CompletableFuture.completedFuture(HealthStatus.OK);
            }
        };
        try (RunningServer s = RunningServer.start(ServerBackends.unwired().withHealth(healthy));
             RawGrpc grpc = new RawGrpc(s.port)) {
            assertThat(grpc.call("grpc.health.v1.Health/Check", HealthCheckRequest.getDefaultInstance(),
                    HealthCheckResponse.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
            StatusRuntimeException e = statusOf(() -> grpc.call("grpc.health.v1.Health/Check",
                    HealthCheckRequest.newBuilder().setService("nope").build(), HealthCheckResponse.getDefaultInstance()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        }
        try (RunningServer s = RunningServer.start(ServerBackends.unwired()); RawGrpc grpc = new RawGrpc(s.port)) {
            assertThat(grpc.call("grpc.health.v1.Health/Check", HealthCheckRequest.getDefaultInstance(),
                    HealthCheckResponse.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.NOT_SERVING);
        }
    }

    @Test
    void backendFailuresOutsideTheTableGoOutAsUnknown() throws Exception {
        HeldKv kv = new HeldKv();
        try (RunningServer s = RunningServer.start(ServerBackends.unwired().withKv(kv)); RawGrpc grpc = new RawGrpc(s.port)) {
            ListenableFuture<RangeResponse> call = grpc.callAsync("etcdserverpb.KV/Range", RANGE_FOO, RangeResponse.getDefaultInstance());
            kv.ranges.take().completeExceptionally(new IllegalStateException("boom"));
            assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(StatusRuntimeException.class).hasMessageContaining("UNKNOWN: boom");
        }
    }
}
