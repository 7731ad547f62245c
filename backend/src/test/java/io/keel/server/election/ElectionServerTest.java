package io.keel.server.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.LeaseGrantResponse;
import io.keel.api.v3electionpb.CampaignRequest;
import io.keel.api.v3electionpb.CampaignResponse;
import io.keel.api.v3electionpb.LeaderKey;
import io.keel.api.v3electionpb.LeaderRequest;
import io.keel.api.v3electionpb.LeaderResponse;
import io.keel.api.v3electionpb.ProclaimRequest;
import io.keel.api.v3electionpb.ResignRequest;
import io.keel.server.lock.LockElectionFixture;
import io.keel.server.lock.SessionLease;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElectionServerTest {
    private static final ByteString NAME = ByteString.copyFromUtf8("e");
    @TempDir
    Path dir;
    private LockElectionFixture f;
    private ElectionServer elections;

    @BeforeEach
    void open() {
        f = new LockElectionFixture(dir);
        elections = new ElectionServer(f.kv.backend, f.waiter, new SessionLease(r -> CompletableFuture.completedFuture(
                LeaseGrantResponse.newBuilder().setID(0x60 + r.getTTL()).setTTL(r.getTTL()).build())));
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    private CompletableFuture<CampaignResponse> campaign(long lease, String value) {
        return elections.campaign(CampaignRequest.newBuilder().setName(NAME).setLease(lease)
                .setValue(ByteString.copyFromUtf8(value)).build()).toCompletableFuture();
    }

    private String leaderValue() throws Exception {
        return elections.leader(LeaderRequest.newBuilder().setName(NAME).build()).toCompletableFuture()
                .get(30, TimeUnit.SECONDS).getKv().getValue().toStringUtf8();
    }

    @Test
    void theFirstCandidateLeadsAndTheNextTakesOverWhenItResigns() throws Exception {
        List<LeaderResponse> observed = new CopyOnWriteArrayList<>();
        LeaderObserver observer = new LeaderObserver(f.kv.backend, f.hub, NAME, observed::add, t -> { });
        observer.start();
        CampaignResponse first = campaign(1, "one").get(30, TimeUnit.SECONDS);
        LeaderKey leader = first.getLeader();
        assertThat(leader.getKey().toStringUtf8()).isEqualTo("e/1");
        assertThat(leader.getRev()).isEqualTo(first.getHeader().getRevision());
        CompletableFuture<CampaignResponse> second = campaign(2, "two");
        await(() -> f.store.revision() > leader.getRev());
        assertThat(leaderValue()).isEqualTo("one");

        elections.proclaim(ProclaimRequest.newBuilder().setLeader(leader).setValue(ByteString.copyFromUtf8("uno"))
                .build()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(leaderValue()).isEqualTo("uno");
        assertThat(second).isNotDone();

        elections.resign(ResignRequest.newBuilder().setLeader(leader).build()).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertThat(second.get(30, TimeUnit.SECONDS).getLeader().getKey().toStringUtf8()).isEqualTo("e/2");
        assertThat(leaderValue()).isEqualTo("two");
        await(() -> observed.size() >= 3);
        observer.close();
        assertThat(observed.stream().map(r -> r.getKv().getValue().toStringUtf8()).toList())
                .containsExactly("one", "uno", "two");
    }

    @Test
    void aCandidateWithoutALeaseCampaignsWithAFreshSixtySecondLease() throws Exception {
        LeaderKey leader = campaign(0, "one").get(30, TimeUnit.SECONDS).getLeader();
        assertThat(leader.getLease()).isEqualTo(0x60 + 60);
        assertThat(leader.getKey().toStringUtf8()).isEqualTo("e/9c");
        assertThat(leaderValue()).isEqualTo("one");
    }

    @Test
    void aStaleLeaderCannotProclaimAndAnEmptyElectionHasNoLeader() throws Exception {
        assertThatThrownBy(this::leaderValue).hasMessageContaining("election: no leader");
        LeaderKey leader = campaign(1, "one").get(30, TimeUnit.SECONDS).getLeader();
        LeaderKey stale = leader.toBuilder().setRev(leader.getRev() - 1).build();
        assertThatThrownBy(() -> elections.proclaim(ProclaimRequest.newBuilder().setLeader(stale).build())
                .toCompletableFuture().get(30, TimeUnit.SECONDS)).hasMessageContaining("election: not leader");
        assertThatThrownBy(() -> elections.proclaim(ProclaimRequest.newBuilder().build()).toCompletableFuture()
                .get(30, TimeUnit.SECONDS)).hasMessageContaining("\"leader\" field must be provided");
    }

    private static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(5);
        }
    }
}
