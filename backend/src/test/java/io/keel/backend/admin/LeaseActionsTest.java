package io.keel.backend.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.LeaseGrantRequest;
import io.keel.api.etcdserverpb.LeaseGrantResponse;
import io.keel.api.etcdserverpb.LeaseKeepAliveResponse;
import io.keel.api.etcdserverpb.LeaseLeasesResponse;
import io.keel.api.etcdserverpb.LeaseRevokeRequest;
import io.keel.api.etcdserverpb.LeaseRevokeResponse;
import io.keel.api.etcdserverpb.LeaseStatus;
import io.keel.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.keel.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.keel.server.ServerBackends;
import io.keel.server.errors.EtcdError;
import io.keel.server.errors.EtcdException;
import io.keel.server.lease.LeaseBackend;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LeaseActionsTest {
    /** Leases 0x3 (TTL 42 of 60, keys a and b) and 0x1c (gone by the time it is asked about). */
    private final FakeLeases backend = new FakeLeases(Map.of(
            0x3L, LeaseTimeToLiveResponse.newBuilder().setID(0x3).setTTL(42).setGrantedTTL(60)
                    .addKeys(ByteString.copyFromUtf8("a")).addKeys(ByteString.copyFromUtf8("b")).build()));
    private final LeaseActions actions = new LeaseActions(ServerBackends.unwired().withLease(backend));

    @Test
    void listsEachLeaseWithItsTtlsAndKeysAskedWithKeysAndSkipsOnesRevokedMeanwhile() throws Exception {
        JsonObject list = actions.list().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(list.getInteger("total")).isEqualTo(2);
        assertThat(list.getJsonArray("leases").size()).isEqualTo(1);
        JsonObject row = list.getJsonArray("leases").getJsonObject(0);
        assertThat(row.getString("id")).isEqualTo("3");
        assertThat(row.getLong("grantedTTL")).isEqualTo(60);
        assertThat(row.getLong("ttl")).isEqualTo(42);
        assertThat(row.getJsonArray("keys").getList()).containsExactly("a", "b");
        assertThat(row.getInteger("keyCount")).isEqualTo(2);
        assertThat(backend.asked).allMatch(LeaseTimeToLiveRequest::getKeys);
    }

    @Test
    void theDryRunSaysWhichKeysGoAndRevokesNothing() throws Exception {
        JsonObject plan = actions.revoke(0x3, true).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(plan.getBoolean("dryRun")).isTrue();
        assertThat(plan.getString("summary")).isEqualTo("would revoke lease 3 (42 s left) and delete its 2 attached key(s): a, b");
        assertThat(backend.revoked).isEmpty();
    }

    @Test
    void theDryRunOfAnUnknownLeaseFailsWithEtcdsError() {
        assertThatThrownBy(() -> actions.revoke(0x1c, true).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(EtcdException.class)
                .hasMessageContaining(EtcdError.LEASE_NOT_FOUND.exception().getMessage());
        assertThat(backend.revoked).isEmpty();
    }

    @Test
    void confirmedRevokeGoesToTheLeaseBackend() throws Exception {
        JsonObject done = actions.revoke(0x3, false).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(done.getString("summary")).isEqualTo("revoked lease 3");
        assertThat(backend.revoked).containsExactly(0x3L);
    }

    private static final class FakeLeases implements LeaseBackend {
        private final Map<Long, LeaseTimeToLiveResponse> live;
        final List<LeaseTimeToLiveRequest> asked = new ArrayList<>();
        final List<Long> revoked = new ArrayList<>();

        FakeLeases(Map<Long, LeaseTimeToLiveResponse> live) {
            this.live = live;
        }

        @Override
        public CompletionStage<LeaseGrantResponse> grant(LeaseGrantRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<LeaseRevokeResponse> revoke(LeaseRevokeRequest request) {
            revoked.add(request.getID());
            return CompletableFuture.completedFuture(LeaseRevokeResponse.getDefaultInstance());
        }

        @Override
        public CompletionStage<LeaseKeepAliveResponse> keepAlive(long leaseId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<LeaseTimeToLiveResponse> timeToLive(LeaseTimeToLiveRequest request) {
            asked.add(request);
            return CompletableFuture.completedFuture(live.getOrDefault(request.getID(),
                    LeaseTimeToLiveResponse.newBuilder().setID(request.getID()).setTTL(-1).build()));
        }

        @Override
        public CompletionStage<LeaseLeasesResponse> leases() {
            return CompletableFuture.completedFuture(LeaseLeasesResponse.newBuilder()
                    .addLeases(LeaseStatus.newBuilder().setID(0x1c)).addLeases(LeaseStatus.newBuilder().setID(0x3))
                    .build());
        }
    }
}
