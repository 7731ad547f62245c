package io.keel.storage.mvcc;

import io.keel.storage.mvcc.backend.LmdbBackend;
import io.keel.storage.mvcc.backend.RevisionKeys;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.CRC32C;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Txn;

/**
 * etcd's HashKV rule: CRC-32C (Castagnoli) over the bucket name, then every stored revision key
 * and value up to the hash revision, where revisions at or below the compact revision count only
 * if a compaction there keeps them, and a tombstone at exactly the compact revision is skipped.
 * Stateless; thread-safe.
 */
final class KvHasher {
    private KvHasher() {
    }

    static int hash(LmdbBackend backend, Txn<byte[]> txn, long compactRev, long rev, Set<Revision> keep) {
        CRC32C crc = new CRC32C();
        crc.update(LmdbBackend.KEY_DB.getBytes(StandardCharsets.UTF_8));
        try (CursorIterable<byte[]> it = backend.revisionsFrom(txn, RevisionKeys.lowerBound(0))) {
            for (CursorIterable.KeyVal<byte[]> kv : it) {
                Revision r = RevisionKeys.decode(kv.key());
                if (r.main() > rev) {
                    break;
                }
                if (r.main() <= compactRev && !keep.isEmpty() && !keep.contains(r)) {
                    continue;
                }
                if (r.main() == compactRev && RevisionKeys.isTombstone(kv.key())) {
                    continue;
                }
                crc.update(kv.key());
                crc.update(kv.val());
            }
        }
        return (int) crc.getValue();
    }
}
