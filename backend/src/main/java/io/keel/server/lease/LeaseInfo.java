package io.keel.server.lease;

import java.util.List;

/**
 * What LeaseTimeToLive reports of one lease. Immutable value; thread-safe.
 *
 * @param ttlSeconds        remaining seconds (etcd's TTL field)
 * @param grantedTtlSeconds the TTL the lease was granted with
 * @param keys              attached keys, in key order (empty unless asked for)
 */
public record LeaseInfo(long id, long ttlSeconds, long grantedTtlSeconds, List<byte[]> keys) {
}
