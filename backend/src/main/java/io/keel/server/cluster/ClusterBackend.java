package io.keel.server.cluster;

import io.keel.api.etcdserverpb.MemberAddRequest;
import io.keel.api.etcdserverpb.MemberAddResponse;
import io.keel.api.etcdserverpb.MemberListRequest;
import io.keel.api.etcdserverpb.MemberListResponse;
import io.keel.api.etcdserverpb.MemberPromoteRequest;
import io.keel.api.etcdserverpb.MemberPromoteResponse;
import io.keel.api.etcdserverpb.MemberRemoveRequest;
import io.keel.api.etcdserverpb.MemberRemoveResponse;
import io.keel.api.etcdserverpb.MemberUpdateRequest;
import io.keel.api.etcdserverpb.MemberUpdateResponse;
import io.keel.api.etcdserverpb.Member;
import io.keel.server.errors.EtcdError;
import io.keel.server.errors.EtcdException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Membership behind the etcd Cluster API: what the Raft node's membership store will implement
 * (changes go through Raft conf changes with etcd's safety checks). Same threading contract as
 * {@link io.keel.server.kv.KvBackend}: called on an event loop, never blocks, completes from any
 * thread, fails with {@link io.keel.server.errors.EtcdException}. Implementations must be thread-safe.
 */
public interface ClusterBackend {
    CompletionStage<MemberAddResponse> memberAdd(MemberAddRequest request);

    CompletionStage<MemberRemoveResponse> memberRemove(MemberRemoveRequest request);

    CompletionStage<MemberUpdateResponse> memberUpdate(MemberUpdateRequest request);

    CompletionStage<MemberListResponse> memberList(MemberListRequest request);

    CompletionStage<MemberPromoteResponse> memberPromote(MemberPromoteRequest request);

    /**
     * The checks {@link #memberAdd} applies, without proposing anything: completes with the member
     * that would be added, or fails as the real call would. Lets the console offer a dry run.
     */
    default CompletionStage<Member> planAdd(MemberAddRequest request) {
        return CompletableFuture.failedFuture(new EtcdException(EtcdError.NOT_CAPABLE));
    }

    /** The checks of {@link #memberRemove}: the member that would be removed. */
    default CompletionStage<Member> planRemove(long memberId) {
        return CompletableFuture.failedFuture(new EtcdException(EtcdError.NOT_CAPABLE));
    }

    /** The checks of {@link #memberPromote}: the member as it would be once promoted. */
    default CompletionStage<Member> planPromote(long memberId) {
        return CompletableFuture.failedFuture(new EtcdException(EtcdError.NOT_CAPABLE));
    }
}
