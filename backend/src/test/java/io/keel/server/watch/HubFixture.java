package io.keel.server.watch;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.ResponseHeader;
import io.keel.api.etcdserverpb.WatchCreateRequest;
import io.keel.storage.mvcc.DeleteRangeRequest;
import io.keel.storage.mvcc.MvccConfig;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.MvccWriteTxn;
import io.keel.storage.mvcc.PutRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A real MVCC store and a started hub, written to as the apply thread does. Test thread only. */
final class HubFixture implements AutoCloseable {
    final MvccStore store;
    final WatchHub hub;

    HubFixture(Path dir, WatchHubConfig config) {
        this(dir, config, WatchObserver.NONE);
    }

    HubFixture(Path dir, WatchHubConfig config, WatchObserver observer) {
        this(dir, config, observer, true);
    }

    /** With {@code start} false the test starts the hub itself (to see what is queued before). */
    HubFixture(Path dir, WatchHubConfig config, WatchObserver observer, boolean start) {
        store = MvccStore.open(MvccConfig.defaults(dir.resolve("db"), List.of()));
        hub = new WatchHub(store, rev -> ResponseHeader.newBuilder().setRevision(rev).setRaftTerm(1).build(),
                config, System::nanoTime, 42).setObserver(observer);
        if (start) {
            hub.start();
        }
    }

    static WatchHubConfig fastConfig() {
        return new WatchHubConfig(60_000, 5, 1000, 10_000, 512, 4096, 10_000, 1 << 20);
    }

    long put(String key, String value) {
        try (MvccWriteTxn w = store.beginWrite()) {
            w.put(PutRequest.of(bytes(key), bytes(value)));
            var changes = w.changes();
            long rev = w.commit();
            hub.committed(rev, changes);
            return rev;
        }
    }

    long delete(String key) {
        try (MvccWriteTxn w = store.beginWrite()) {
            w.deleteRange(DeleteRangeRequest.of(bytes(key), null));
            var changes = w.changes();
            long rev = w.commit();
            hub.committed(rev, changes);
            return rev;
        }
    }

    /** A put the hub is not told about (as a write path that forgets to notify would). */
    long putSilently(String key, String value) {
        try (MvccWriteTxn w = store.beginWrite()) {
            w.put(PutRequest.of(bytes(key), bytes(value)));
            return w.commit();
        }
    }

    void compact(long rev) {
        try (MvccWriteTxn w = store.beginWrite()) {
            w.compact(rev);
            w.commit();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static WatchCreateRequest.Builder watch(String key) {
        return WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8(key));
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos(); // generous: a loaded 2-core machine
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    @Override
    public void close() throws Exception {
        hub.close();
        store.close();
    }
}
