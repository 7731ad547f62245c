package io.keel.storage.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kill -9 of a process in the middle of applying: the store reopens intact, its consistent index
 * covers every entry the child reported, and the content is exactly entries 1..consistentIndex,
 * so the server would re-apply from consistentIndex + 1 and never twice.
 */
class CrashTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void killedWriterLeavesAStoreConsistentWithItsConsistentIndex(SyncMode mode) throws Exception {
        Path db = dir.resolve("member/snap/db");
        long reported = runAndKill(db, mode, 300);
        long reportedAgain = runAndKill(db, mode, reported + 200); // a second crash after resuming
        MvccConfig config = MvccConfig.defaults(db, List.of("members")).withQuota(64L * 1024 * 1024);
        try (MvccStore store = MvccStore.open(config)) {
            long applied = store.consistentIndex();
            assertThat(applied).isGreaterThanOrEqualTo(reportedAgain);
            CrashWriter.assertHoldsEntriesUpTo(store, applied);
            assertThat(store.readAux("members").get(0).getValue())
                    .isEqualTo(Long.toString(applied).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Starts the writer, reads its progress until it reports {@code atLeast}, then SIGKILLs it. */
    private static long runAndKill(Path db, SyncMode mode, long atLeast) throws Exception {
        return KilledWriter.runAndKill(CrashWriter.class, "applied ", atLeast, db.toString(), mode.name());
    }
}
