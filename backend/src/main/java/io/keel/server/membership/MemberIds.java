package io.keel.server.membership;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.List;

/**
 * Member and cluster ids computed exactly as etcd computes them, so a Keel cluster bootstrapped
 * with the same flags as an etcd cluster gets the same ids (and ids stay stable across restarts).
 * Member id: the first 8 bytes (big-endian) of SHA-1 over the member's sorted peer URLs joined
 * without separator, followed by the cluster token. Cluster id: the first 8 bytes of SHA-1 over the
 * member ids in ascending unsigned order, each as 8 big-endian bytes. Stateless; thread-safe.
 */
public final class MemberIds {
    private MemberIds() {
    }

    /** The id of a member bootstrapped with these peer URLs and {@code --initial-cluster-token}. */
    public static long memberId(List<URI> peerUrls, String clusterToken) {
        StringBuilder joined = new StringBuilder();
        peerUrls.stream().map(URI::toString).sorted().forEach(joined::append);
        joined.append(clusterToken);
        return first8Bytes(sha1(joined.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** The cluster id of a cluster bootstrapped with these members. */
    public static long clusterId(Collection<Long> memberIds) {
        ByteBuffer buf = ByteBuffer.allocate(8 * memberIds.size());
        memberIds.stream().sorted(Long::compareUnsigned).forEach(buf::putLong);
        return first8Bytes(sha1(buf.array()));
    }

    /** An id as etcd prints it: lower-case hex without leading zeros. */
    public static String toHex(long id) {
        return Long.toHexString(id);
    }

    private static long first8Bytes(byte[] digest) {
        return ByteBuffer.wrap(digest, 0, 8).getLong();
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-1", e);
        }
    }
}
