package io.keel.server.health;

import io.keel.api.etcdserverpb.AlarmMember;
import io.keel.api.etcdserverpb.AlarmType;
import io.keel.api.etcdserverpb.Member;
import io.keel.server.alarm.AlarmStore;
import io.keel.server.membership.MemberStore;
import io.keel.server.raftnode.RaftNode;
import io.keel.storage.mvcc.RangeRequest;
import io.keel.storage.mvcc.MvccStore;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Health as etcd's /health computes it: alarms (minus the excluded ones), then a known leader,
 * then a real read of the store (after a ReadIndex barrier unless serializable). Reads run on
 * the {@code readers} executor. Thread-safe; never blocks the caller.
 */
public final class RaftHealthProbe implements HealthProbe {
    private static final byte[] HEALTH_KEY = "health".getBytes(StandardCharsets.UTF_8);

    private final RaftNode node;
    private final MvccStore store;
    private final AlarmStore alarms;
    private final MemberStore members;
    private final long memberId;
    private final Executor readers;
    private final long timeoutMillis;

    public RaftHealthProbe(RaftNode node, MvccStore store, AlarmStore alarms, MemberStore members, long memberId,
                           Executor readers, long timeoutMillis) {
        this.node = node;
        this.store = store;
        this.alarms = alarms;
        this.members = members;
        this.memberId = memberId;
        this.readers = readers;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public CompletionStage<HealthStatus> health(boolean serializable, Set<String> excludedAlarms) {
        for (AlarmMember a : alarms.active()) {
            if (!excludedAlarms.contains(a.getAlarm().name())) {
                return CompletableFuture.completedFuture(HealthStatus.failed("ALARM " + a.getAlarm().name()));
            }
        }
        if (node.state().leaderId() == 0) {
            return CompletableFuture.completedFuture(HealthStatus.failed("RAFT NO LEADER"));
        }
        return read(serializable);
    }

    @Override
    public CompletionStage<HealthStatus> check(HealthCheckName name) {
        return switch (name) {
            case DATA_CORRUPTION -> CompletableFuture.completedFuture(alarms.isActive(AlarmType.CORRUPT)
                    ? HealthStatus.failed("data corruption alarm active") : HealthStatus.OK);
            case SERIALIZABLE_READ -> read(true);
            case LINEARIZABLE_READ -> read(false);
            case NON_LEARNER -> {
                Member self = members.get(memberId);
                yield CompletableFuture.completedFuture(self != null && self.getIsLearner()
                        ? HealthStatus.failed("this member is a learner") : HealthStatus.OK);
            }
        };
    }

    private CompletionStage<HealthStatus> read(boolean serializable) {
        CompletableFuture<?> barrier = serializable ? CompletableFuture.completedFuture(null)
                : node.linearizableBarrier().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
        return barrier.thenApplyAsync(x -> {
            store.range(RangeRequest.builder(HEALTH_KEY).serializable(serializable).build());
            return HealthStatus.OK;
        }, readers).exceptionally(err -> HealthStatus.failed("QGET ERROR:" + rootMessage(err)));
    }

    private static String rootMessage(Throwable err) {
        Throwable t = err;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
