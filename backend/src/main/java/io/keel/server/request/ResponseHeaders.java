package io.keel.server.request;

import io.keel.api.etcdserverpb.ResponseHeader;
import io.keel.server.raftnode.RaftNode;

/**
 * Builds etcd's response header {cluster_id, member_id, revision, raft_term}. Thread-safe.
 */
public final class ResponseHeaders {
    private final long clusterId;
    private final long memberId;
    private final RaftNode node;

    public ResponseHeaders(long clusterId, long memberId, RaftNode node) {
        this.clusterId = clusterId;
        this.memberId = memberId;
        this.node = node;
    }

    public ResponseHeader at(long revision) {
        return ResponseHeader.newBuilder()
                .setClusterId(clusterId)
                .setMemberId(memberId)
                .setRevision(revision)
                .setRaftTerm(node.state().term())
                .build();
    }

    /** The header of etcd's Cluster API responses, which carry no revision. */
    public ResponseHeader withoutRevision() {
        return ResponseHeader.newBuilder()
                .setClusterId(clusterId)
                .setMemberId(memberId)
                .setRaftTerm(node.state().term())
                .build();
    }

    public long memberId() {
        return memberId;
    }

    public long clusterId() {
        return clusterId;
    }
}
