package io.keel.server.lock;

import io.keel.api.etcdserverpb.ResponseHeader;
import io.keel.server.watch.WatchHub;
import io.keel.server.watch.WatchHubConfig;
import io.keel.storage.mvcc.MvccConfig;
import io.keel.storage.mvcc.MvccStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A store, a hub, a one-thread KV and a deletion waiter, for Lock and Election tests. */
public final class LockElectionFixture implements AutoCloseable {
    public final MvccStore store;
    public final WatchHub hub;
    public final StoreKvBackendHandle kv;
    public final DeletionWaiter waiter;
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor();

    /** Lets tests of other packages hold the package-private KV. */
    public static final class StoreKvBackendHandle {
        public final io.keel.server.kv.KvBackend backend;

        StoreKvBackendHandle(io.keel.server.kv.KvBackend backend) {
            this.backend = backend;
        }
    }

    public LockElectionFixture(Path dir) {
        store = MvccStore.open(MvccConfig.defaults(dir.resolve("db"), List.of()));
        hub = new WatchHub(store, rev -> ResponseHeader.newBuilder().setRevision(rev).build(),
                new WatchHubConfig(60_000, 5, 1000, 10_000, 512, 4096, 10_000, 1 << 20), System::nanoTime, 7).start();
        kv = new StoreKvBackendHandle(new StoreKvBackend(store, hub));
        waiter = new DeletionWaiter(kv.backend, hub, callbacks);
    }

    @Override
    public void close() throws Exception {
        ((StoreKvBackend) kv.backend).close();
        callbacks.shutdownNow();
        hub.close();
        store.close();
    }
}
