package io.keel.storage.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Child process for {@link CrashTest}: applies entry i as a put of {@code k<i % 50> = v<i>} with
 * consistent index i, forever, printing each index after its commit, until it is killed.
 * Arguments: the db path and the {@link SyncMode}.
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) {
        MvccConfig config = MvccConfig.defaults(Path.of(args[0]), List.of("members")).withQuota(64L * 1024 * 1024)
                .withSyncMode(SyncMode.valueOf(args[1]));
        MvccStore store = MvccStore.open(config);
        for (long i = store.consistentIndex() + 1; ; i++) {
            try (MvccWriteTxn w = store.beginWrite()) {
                w.put(PutRequest.of(key(i), ("v" + i).getBytes(StandardCharsets.UTF_8)));
                w.putAux("members", "last".getBytes(StandardCharsets.UTF_8), ("" + i).getBytes(StandardCharsets.UTF_8));
                w.setConsistentIndex(i, 1);
                w.commit();
            }
            System.out.println("applied " + i);
            System.out.flush();
        }
    }

    /**
     * Asserts that {@code store} holds exactly what entries 1..{@code applied} of this writer's
     * scheme put (entry i writes {@code k<i % 50> = v<i>} at revision i + 1), and nothing after.
     * Shared by the kill -9 tests of both writers ({@link DeferredCrashWriter} uses the same keys).
     */
    static void assertHoldsEntriesUpTo(MvccStore store, long applied) {
        assertThat(store.revision()).isEqualTo(applied + 1);
        for (long k = 0; k < 50; k++) {
            long last = applied - Math.floorMod(applied - k, 50);
            KeyValue kv = store.range(RangeRequest.builder(key(k)).build()).kvs().get(0);
            assertThat(new String(kv.value(), StandardCharsets.UTF_8)).isEqualTo("v" + last);
            assertThat(kv.modRevision()).isEqualTo(last + 1);
        }
    }

    static byte[] key(long i) {
        return ("k" + (i % 50)).getBytes(StandardCharsets.UTF_8);
    }
}
