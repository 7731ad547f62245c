package io.keel.server.metrics;

import java.util.List;

/**
 * The gRPC methods whose series etcd creates at 0 on start (grpc-prometheus registers every method
 * of the services on etcd's server), with their stream types, and gRPC's status codes spelled as
 * grpc-go's {@code codes.Code.String()} does. Immutable; thread-safe.
 */
public final class GrpcMethodTable {
    /** Status codes by number, in grpc-go's spelling ({@code OK}, {@code Canceled}, ...). */
    public static final List<String> CODES = List.of("OK", "Canceled", "Unknown", "InvalidArgument",
            "DeadlineExceeded", "NotFound", "AlreadyExists", "PermissionDenied", "ResourceExhausted",
            "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented", "Internal", "Unavailable",
            "DataLoss", "Unauthenticated");

    /** One method: service, name and grpc-prometheus' type label. */
    public record Method(String service, String name, String type) {
        public String path() {
            return "/" + service + "/" + name;
        }
    }

    private static final String KV = "etcdserverpb.KV";
    private static final String WATCH = "etcdserverpb.Watch";
    private static final String LEASE = "etcdserverpb.Lease";
    private static final String CLUSTER = "etcdserverpb.Cluster";
    private static final String MAINT = "etcdserverpb.Maintenance";
    private static final String AUTH = "etcdserverpb.Auth";
    private static final String HEALTH = "grpc.health.v1.Health";
    private static final String UNARY = "unary";

    /** etcd's methods (3.4's set plus 3.5's Downgrade and AuthStatus), initialised at 0. */
    public static final List<Method> ETCD = List.of(
            new Method(KV, "Range", UNARY), new Method(KV, "Put", UNARY), new Method(KV, "DeleteRange", UNARY),
            new Method(KV, "Txn", UNARY), new Method(KV, "Compact", UNARY),
            new Method(WATCH, "Watch", "bidi_stream"),
            new Method(LEASE, "LeaseGrant", UNARY), new Method(LEASE, "LeaseRevoke", UNARY),
            new Method(LEASE, "LeaseKeepAlive", "bidi_stream"), new Method(LEASE, "LeaseTimeToLive", UNARY),
            new Method(LEASE, "LeaseLeases", UNARY),
            new Method(CLUSTER, "MemberAdd", UNARY), new Method(CLUSTER, "MemberRemove", UNARY),
            new Method(CLUSTER, "MemberUpdate", UNARY), new Method(CLUSTER, "MemberList", UNARY),
            new Method(CLUSTER, "MemberPromote", UNARY),
            new Method(MAINT, "Alarm", UNARY), new Method(MAINT, "Status", UNARY),
            new Method(MAINT, "Defragment", UNARY), new Method(MAINT, "Hash", UNARY),
            new Method(MAINT, "HashKV", UNARY), new Method(MAINT, "Snapshot", "server_stream"),
            new Method(MAINT, "MoveLeader", UNARY), new Method(MAINT, "Downgrade", UNARY),
            new Method(AUTH, "AuthEnable", UNARY), new Method(AUTH, "AuthDisable", UNARY),
            new Method(AUTH, "AuthStatus", UNARY), new Method(AUTH, "Authenticate", UNARY),
            new Method(AUTH, "UserAdd", UNARY), new Method(AUTH, "UserGet", UNARY),
            new Method(AUTH, "UserList", UNARY), new Method(AUTH, "UserDelete", UNARY),
            new Method(AUTH, "UserChangePassword", UNARY), new Method(AUTH, "UserGrantRole", UNARY),
            new Method(AUTH, "UserRevokeRole", UNARY), new Method(AUTH, "RoleAdd", UNARY),
            new Method(AUTH, "RoleGet", UNARY), new Method(AUTH, "RoleList", UNARY),
            new Method(AUTH, "RoleDelete", UNARY), new Method(AUTH, "RoleGrantPermission", UNARY),
            new Method(AUTH, "RoleRevokePermission", UNARY),
            new Method(HEALTH, "Check", UNARY), new Method(HEALTH, "Watch", "server_stream"));

    /**
     * Methods counted once called but not created at 0: etcd registers Lock and Election after
     * its metrics interceptor has enumerated the server's services.
     */
    public static final List<Method> LAZY = List.of(
            new Method("v3lockpb.Lock", "Lock", UNARY), new Method("v3lockpb.Lock", "Unlock", UNARY),
            new Method("v3electionpb.Election", "Campaign", UNARY),
            new Method("v3electionpb.Election", "Proclaim", UNARY),
            new Method("v3electionpb.Election", "Leader", UNARY),
            new Method("v3electionpb.Election", "Observe", "server_stream"),
            new Method("v3electionpb.Election", "Resign", UNARY));

    private GrpcMethodTable() {
    }
}
