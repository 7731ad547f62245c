package io.keel.server.watch;

import static io.keel.server.watch.HubFixture.await;
import static io.keel.server.watch.HubFixture.watch;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub reports streams, watchers, slow watchers and events where etcd's watchable store counts them. */
class WatchHubMetricsTest {
    @TempDir
    Path dir;
    private HubFixture f;
    private final Counting seen = new Counting();

    /** Records what the hub tells it; thread-safe (dispatcher thread writes, test thread reads). */
    private static final class Counting implements WatchObserver {
        final AtomicReference<String> counts = new AtomicReference<>("none");
        final AtomicInteger queued = new AtomicInteger();
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger dropped = new AtomicInteger();

        @Override
        public void counts(int streams, int watchers, int slowWatchers) {
            counts.set(streams + " streams, " + watchers + " watchers, " + slowWatchers + " slow");
        }

        @Override
        public void eventsQueued(int events) {
            queued.addAndGet(events);
        }

        @Override
        public void eventsSent(int events) {
            sent.addAndGet(events);
        }

        @Override
        public void eventsDropped(int events) {
            dropped.addAndGet(events);
        }
    }

    @AfterEach
    void close() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private void awaitCounts(String expected) throws InterruptedException {
        await(expected + " (last seen: " + seen.counts.get() + ")", () -> expected.equals(seen.counts.get()));
    }

    @Test
    void streamsWatchersAndSlowWatchersFollowOpenCreateCatchUpCancelAndClose() throws Exception {
        f = new HubFixture(dir, HubFixture.fastConfig(), seen);
        long r1 = f.put("a", "1");
        f.put("a", "2");

        RecordingSink live = RecordingSink.unbounded();
        WatchStreamHandle s1 = f.hub.open(live);
        awaitCounts("1 streams, 0 watchers, 0 slow");
        s1.create(watch("a").build());
        awaitCounts("1 streams, 1 watchers, 0 slow");

        // A watcher from a past revision on a stream with no room stays behind the store: slow.
        RecordingSink full = new RecordingSink(0);
        WatchStreamHandle s2 = f.hub.open(full);
        s2.create(watch("a").setStartRevision(r1).build());
        awaitCounts("2 streams, 2 watchers, 1 slow");

        full.release();
        await("caught up", () -> full.events(0).size() == 2);
        awaitCounts("2 streams, 2 watchers, 0 slow");

        s1.cancel(0);
        awaitCounts("2 streams, 1 watchers, 0 slow");
        s1.close();
        s2.close();
        awaitCounts("0 streams, 0 watchers, 0 slow");
    }

    @Test
    void eventsHandedToAStreamArePendingUntilItReportsThemWrittenOrDropped() throws Exception {
        f = new HubFixture(dir, HubFixture.fastConfig(), seen);
        RecordingSink sink = RecordingSink.unbounded();
        sink.reportsWrites = true;
        WatchStreamHandle s = f.hub.open(sink);
        s.create(watch("k").build());
        s.create(watch("k").build());
        await("created", () -> sink.all().size() == 2);

        f.put("k", "1");
        f.put("other", "x");
        f.delete("k");
        await("four events queued", () -> sink.events(0).size() == 2 && sink.events(1).size() == 2);
        assertThat(seen.queued.get()).isEqualTo(4);
        assertThat(seen.sent.get()).isZero();

        s.eventsSent(3);
        s.eventsDropped(1);
        assertThat(seen.sent.get()).isEqualTo(3);
        assertThat(seen.dropped.get()).isEqualTo(1);
    }

    @Test
    void eventsTakenByAnInProcessSinkCountAsSentAtOnce() throws Exception {
        f = new HubFixture(dir, HubFixture.fastConfig(), seen);
        RecordingSink sink = RecordingSink.unbounded();
        WatchStreamHandle s = f.hub.open(sink);
        s.create(watch("k").setRangeEnd(com.google.protobuf.ByteString.copyFromUtf8("l")).build());
        await("created", () -> sink.all().size() == 1);

        f.put("k1", "1");
        f.put("k2", "2");
        await("two events", () -> sink.events(0).size() == 2);
        await("counted", () -> seen.sent.get() == 2);
        assertThat(seen.queued.get()).isZero();
    }
}
