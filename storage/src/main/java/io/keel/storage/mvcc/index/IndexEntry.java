package io.keel.storage.mvcc.index;

import io.keel.storage.mvcc.Revision;

/**
 * What the index knows of a key at a revision: the revision holding its value, when its
 * generation was created, and its version there. Immutable; thread-safe.
 */
public record IndexEntry(byte[] key, Revision modified, Revision created, long version) {
}
