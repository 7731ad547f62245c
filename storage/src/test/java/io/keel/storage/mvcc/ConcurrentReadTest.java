package io.keel.storage.mvcc;

import static io.keel.storage.mvcc.TestStores.b;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentReadTest {
    @TempDir
    Path dir;

    /**
     * The writer moves two keys together in one txn per revision and compacts as it goes; readers
     * on other threads must always see both at the same value (a consistent snapshot) or a
     * compacted error for old revisions, never a torn or missing pair.
     */
    @Test
    void readersSeeConsistentSnapshotsWhileTheWriterCommitsAndCompacts() throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try (MvccStore store = TestStores.open(dir)) {
            write(store, 0);
            AtomicBoolean done = new AtomicBoolean();
            List<Future<Integer>> results = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                results.add(readers.submit(() -> {
                    int reads = 0;
                    while (!done.get() || reads == 0) {
                        long rev = store.revision();
                        try {
                            RangeResponse resp = store.range(RangeRequest.builder(b("pair/")).prefix()
                                    .revision(Math.max(2, rev - 3)).build());
                            assertThat(resp.kvs()).hasSize(2);
                            assertThat(resp.kvs().get(0).value()).isEqualTo(resp.kvs().get(1).value());
                            assertThat(resp.kvs().get(0).modRevision()).isEqualTo(resp.kvs().get(1).modRevision());
                        } catch (CompactedException expected) {
                            // the writer compacted past the revision this reader picked
                        }
                        reads++;
                    }
                    return reads;
                }));
            }
            for (int i = 1; i <= 2000; i++) {
                write(store, i);
                if (i % 100 == 0) {
                    TestStores.compact(store, store.revision() - 2);
                }
            }
            done.set(true);
            for (Future<Integer> f : results) {
                assertThat(f.get()).isPositive();
            }
        } finally {
            readers.shutdownNow();
        }
    }

    private static void write(MvccStore store, int i) {
        try (MvccWriteTxn w = store.beginWrite()) {
            w.put(PutRequest.of(b("pair/a"), b("v" + i)));
            w.put(PutRequest.of(b("pair/b"), b("v" + i)));
            w.commit();
        }
    }
}
