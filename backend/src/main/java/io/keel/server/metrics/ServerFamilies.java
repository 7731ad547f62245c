package io.keel.server.metrics;

import io.keel.server.EtcdVersion;

/**
 * etcd's {@code etcd_server_*} and {@code etcd_cluster_version} families, with etcd 3.4's names,
 * types and help text (some monotonic values are gauges in etcd, some counters lack
 * {@code _total}: kept as etcd has them, so its dashboard and alerts work unchanged).
 * The counters are public so the code that sees the event can bump them. Thread-safe.
 */
public final class ServerFamilies {
    public final Counter leaderChanges;
    public final Counter proposalsFailed;
    public final Counter slowApply;
    public final Counter heartbeatSendFailures;
    public final Counter readIndexesFailed;
    public final Counter slowReadIndexes;
    public final Counter healthSuccess;
    public final Counter healthFailures;
    public final Counter learnerPromoteSuccesses;
    public final LabeledCounter learnerPromoteFailures;
    public final LabeledCounter clientRequests;

    ServerFamilies(MetricRegistry r, MemberGauges m) {
        r.register(new Gauge("etcd_server_has_leader",
                "Whether or not a leader exists. 1 is existence, 0 is not.", () -> m.hasLeader() ? 1 : 0));
        r.register(new Gauge("etcd_server_is_leader",
                "Whether or not this member is a leader. 1 if is, 0 otherwise.", () -> m.isLeader() ? 1 : 0));
        r.register(new Gauge("etcd_server_is_learner",
                "Whether or not this member is a learner. 1 if is, 0 otherwise.", () -> m.isLearner() ? 1 : 0));
        leaderChanges = r.register(new Counter("etcd_server_leader_changes_seen_total",
                "The number of leader changes seen."));
        r.register(new Gauge("etcd_server_proposals_committed_total",
                "The total number of consensus proposals committed.", m::committedIndex));
        r.register(new Gauge("etcd_server_proposals_applied_total",
                "The total number of consensus proposals applied.", m::appliedIndex));
        r.register(new Gauge("etcd_server_proposals_pending",
                "The current number of pending proposals to commit.", m::pendingProposals));
        proposalsFailed = r.register(new Counter("etcd_server_proposals_failed_total",
                "The total number of failed proposals seen."));
        slowApply = r.register(new Counter("etcd_server_slow_apply_total",
                "The total number of slow apply requests (likely overloaded from slow disk)."));
        heartbeatSendFailures = r.register(new Counter("etcd_server_heartbeat_send_failures_total",
                "The total number of leader heartbeat send failures (likely overloaded from slow disk)."));
        readIndexesFailed = r.register(new Counter("etcd_server_read_indexes_failed_total",
                "The total number of failed read indexes seen."));
        slowReadIndexes = r.register(new Counter("etcd_server_slow_read_indexes_total",
                "The total number of pending read indexes not in sync with leader's or timed out read index requests."));
        r.register(new Gauge("etcd_server_quota_backend_bytes",
                "Current backend storage quota size in bytes.", m::quotaBackendBytes));
        r.register(new InfoGauge("etcd_server_id",
                "Server or member ID in hexadecimal format. 1 for 'server_id' label with current ID.",
                "server_id", () -> Long.toHexString(m.memberId())));
        r.register(new InfoGauge("etcd_server_version",
                "Which version is running. 1 for 'server_version' label with current version.",
                "server_version", () -> EtcdVersion.SERVER));
        r.register(new InfoGauge("etcd_cluster_version",
                "Which version is running. 1 for 'cluster_version' label with current cluster version",
                "cluster_version", () -> EtcdVersion.CLUSTER.substring(0, EtcdVersion.CLUSTER.lastIndexOf('.'))));
        healthSuccess = r.register(new Counter("etcd_server_health_success",
                "The total number of successful health checks"));
        healthFailures = r.register(new Counter("etcd_server_health_failures",
                "The total number of failed health checks"));
        learnerPromoteSuccesses = r.register(new Counter("etcd_server_learner_promote_successes",
                "The total number of successful learner promotions while this member is leader."));
        learnerPromoteFailures = r.register(new LabeledCounter("etcd_server_learner_promote_failures",
                "The total number of failed learner promotions (likely learner not ready) while this member is leader.",
                "Reason"));
        clientRequests = r.register(new LabeledCounter("etcd_server_client_requests_total",
                "The total number of client requests per client version.", "client_api_version", "type"));
    }
}
