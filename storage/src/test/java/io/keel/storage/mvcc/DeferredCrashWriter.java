package io.keel.storage.mvcc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Child process for {@link DeferredCommitTest}: applies entry i as a put of {@code k<i % 50> = v<i>}
 * with consistent index i, each as a published group write left open ({@link MvccWriteTxn#commitLater()}),
 * and commits the open transaction every 7 entries, printing the index after each such commit,
 * forever, until it is killed. Argument: the db path.
 */
public final class DeferredCrashWriter {
    private DeferredCrashWriter() {
    }

    public static void main(String[] args) {
        MvccConfig config = MvccConfig.defaults(Path.of(args[0]), List.of("members")).withQuota(64L * 1024 * 1024);
        MvccStore store = MvccStore.open(config);
        for (long i = store.consistentIndex() + 1; ; i++) {
            try (MvccWriteTxn w = store.beginGroupWrite()) {
                w.put(PutRequest.of(CrashWriter.key(i), ("v" + i).getBytes(StandardCharsets.UTF_8)));
                w.setConsistentIndex(i, 1);
                w.publish();
                w.commitLater();
            }
            if (i % 7 == 0) {
                store.commitPending();
                System.out.println("committed " + i);
                System.out.flush();
            }
        }
    }
}
