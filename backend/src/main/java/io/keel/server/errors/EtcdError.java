package io.keel.server.errors;

import static io.keel.server.errors.GrpcCode.CANCELLED;
import static io.keel.server.errors.GrpcCode.DATA_LOSS;
import static io.keel.server.errors.GrpcCode.DEADLINE_EXCEEDED;
import static io.keel.server.errors.GrpcCode.FAILED_PRECONDITION;
import static io.keel.server.errors.GrpcCode.INVALID_ARGUMENT;
import static io.keel.server.errors.GrpcCode.NOT_FOUND;
import static io.keel.server.errors.GrpcCode.OUT_OF_RANGE;
import static io.keel.server.errors.GrpcCode.PERMISSION_DENIED;
import static io.keel.server.errors.GrpcCode.RESOURCE_EXHAUSTED;
import static io.keel.server.errors.GrpcCode.UNAUTHENTICATED;
import static io.keel.server.errors.GrpcCode.UNAVAILABLE;

/**
 * Every expected error a client can see, with the gRPC code and the message text etcd 3.5 sends
 * for it. Clients (clientv3, jetcd, etcdctl) turn these exact strings back into typed errors, so the
 * text must match etcd byte for byte. This is the one table of them: nothing else in Keel spells an
 * etcd error message. Immutable; thread-safe.
 */
public enum EtcdError {
    // Request validation.
    EMPTY_KEY(INVALID_ARGUMENT, "etcdserver: key is not provided"),
    KEY_NOT_FOUND(INVALID_ARGUMENT, "etcdserver: key not found"),
    VALUE_PROVIDED(INVALID_ARGUMENT, "etcdserver: value is provided"),
    LEASE_PROVIDED(INVALID_ARGUMENT, "etcdserver: lease is provided"),
    TOO_MANY_OPS(INVALID_ARGUMENT, "etcdserver: too many operations in txn request"),
    DUPLICATE_KEY(INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request"),
    REQUEST_TOO_LARGE(INVALID_ARGUMENT, "etcdserver: request is too large"),

    // MVCC.
    COMPACTED(OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted"),
    FUTURE_REV(OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision"),
    NO_SPACE(RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded"),

    // Leases.
    LEASE_NOT_FOUND(NOT_FOUND, "etcdserver: requested lease not found"),
    LEASE_EXIST(FAILED_PRECONDITION, "etcdserver: lease already exists"),
    LEASE_TTL_TOO_LARGE(OUT_OF_RANGE, "etcdserver: too large lease TTL"),

    // Watch.
    WATCH_CANCELED(CANCELLED, "etcdserver: watch canceled"),

    // Membership.
    MEMBER_EXIST(FAILED_PRECONDITION, "etcdserver: member ID already exist"),
    PEER_URL_EXIST(FAILED_PRECONDITION, "etcdserver: Peer URLs already exists"),
    MEMBER_NOT_ENOUGH_STARTED(FAILED_PRECONDITION,
            "etcdserver: re-configuration failed due to not enough started members"),
    MEMBER_BAD_URLS(INVALID_ARGUMENT, "etcdserver: given member URLs are invalid"),
    MEMBER_NOT_FOUND(NOT_FOUND, "etcdserver: member not found"),
    MEMBER_NOT_LEARNER(FAILED_PRECONDITION, "etcdserver: can only promote a learner member"),
    LEARNER_NOT_READY(FAILED_PRECONDITION,
            "etcdserver: can only promote a learner member which is in sync with leader"),
    TOO_MANY_LEARNERS(FAILED_PRECONDITION, "etcdserver: too many learner members in cluster"),
    CLUSTER_ID_MISMATCH(FAILED_PRECONDITION, "etcdserver: cluster ID mismatch"),

    // Load shedding.
    TOO_MANY_REQUESTS(RESOURCE_EXHAUSTED, "etcdserver: too many requests"),

    // Auth.
    ROOT_USER_NOT_EXIST(FAILED_PRECONDITION, "etcdserver: root user does not exist"),
    ROOT_ROLE_NOT_EXIST(FAILED_PRECONDITION, "etcdserver: root user does not have root role"),
    USER_ALREADY_EXIST(FAILED_PRECONDITION, "etcdserver: user name already exists"),
    USER_EMPTY(INVALID_ARGUMENT, "etcdserver: user name is empty"),
    USER_NOT_FOUND(FAILED_PRECONDITION, "etcdserver: user name not found"),
    ROLE_ALREADY_EXIST(FAILED_PRECONDITION, "etcdserver: role name already exists"),
    ROLE_NOT_FOUND(FAILED_PRECONDITION, "etcdserver: role name not found"),
    ROLE_EMPTY(INVALID_ARGUMENT, "etcdserver: role name is empty"),
    AUTH_FAILED(INVALID_ARGUMENT, "etcdserver: authentication failed, invalid user ID or password"),
    PERMISSION_NOT_GIVEN(INVALID_ARGUMENT, "etcdserver: permission not given"),
    PERMISSION_DENIED_BY_AUTH(PERMISSION_DENIED, "etcdserver: permission denied"),
    ROLE_NOT_GRANTED(FAILED_PRECONDITION, "etcdserver: role is not granted to the user"),
    PERMISSION_NOT_GRANTED(FAILED_PRECONDITION, "etcdserver: permission is not granted to the role"),
    AUTH_NOT_ENABLED(FAILED_PRECONDITION, "etcdserver: authentication is not enabled"),
    INVALID_AUTH_TOKEN(UNAUTHENTICATED, "etcdserver: invalid auth token"),
    INVALID_AUTH_MGMT(INVALID_ARGUMENT, "etcdserver: invalid auth management"),
    AUTH_OLD_REVISION(INVALID_ARGUMENT, "etcdserver: revision of auth store is old"),

    // Raft and server state.
    NO_LEADER(UNAVAILABLE, "etcdserver: no leader"),
    NOT_LEADER(FAILED_PRECONDITION, "etcdserver: not leader"),
    LEADER_CHANGED(UNAVAILABLE, "etcdserver: leader changed"),
    NOT_CAPABLE(UNAVAILABLE, "etcdserver: not capable"),
    STOPPED(UNAVAILABLE, "etcdserver: server stopped"),
    TIMEOUT(UNAVAILABLE, "etcdserver: request timed out"),
    TIMEOUT_DUE_TO_LEADER_FAIL(UNAVAILABLE,
            "etcdserver: request timed out, possibly due to previous leader failure"),
    TIMEOUT_DUE_TO_CONNECTION_LOST(UNAVAILABLE,
            "etcdserver: request timed out, possibly due to connection lost"),
    TIMEOUT_WAIT_APPLIED_INDEX(UNAVAILABLE,
            "etcdserver: request timed out, waiting for the applied index took too long"),
    UNHEALTHY(UNAVAILABLE, "etcdserver: unhealthy cluster"),
    CORRUPT(DATA_LOSS, "etcdserver: corrupt cluster"),
    NOT_SUPPORTED_FOR_LEARNER(UNAVAILABLE, "etcdserver: rpc not supported for learner"),
    BAD_LEADER_TRANSFEREE(FAILED_PRECONDITION, "etcdserver: bad leader transferee"),

    // Downgrade.
    CLUSTER_VERSION_UNAVAILABLE(UNAVAILABLE, "etcdserver: cluster version not found during downgrade"),
    WRONG_DOWNGRADE_VERSION_FORMAT(INVALID_ARGUMENT, "etcdserver: wrong downgrade target version format"),
    INVALID_DOWNGRADE_TARGET_VERSION(INVALID_ARGUMENT, "etcdserver: invalid downgrade target version"),
    DOWNGRADE_IN_PROCESS(FAILED_PRECONDITION, "etcdserver: cluster has a downgrade job in progress"),
    NO_INFLIGHT_DOWNGRADE(FAILED_PRECONDITION, "etcdserver: no inflight downgrade job"),

    // The caller gave up.
    CANCELED(CANCELLED, "etcdserver: request canceled"),
    CONTEXT_DEADLINE_EXCEEDED(DEADLINE_EXCEEDED, "etcdserver: context deadline exceeded");

    private final GrpcCode code;
    private final String message;

    EtcdError(GrpcCode code, String message) {
        this.code = code;
        this.message = message;
    }

    /** The gRPC status code etcd answers with. */
    public GrpcCode code() {
        return code;
    }

    /** The exact status message etcd sends. */
    public String message() {
        return message;
    }

    /** A throwable carrying this error, for futures and back ends. */
    public EtcdException exception() {
        return new EtcdException(this);
    }
}
