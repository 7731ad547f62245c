package io.keel.server.watch;

import static io.keel.server.watch.HubFixture.await;
import static io.keel.server.watch.HubFixture.watch;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.WatchCreateRequest;
import io.keel.api.etcdserverpb.WatchResponse;
import io.keel.api.mvccpb.Event;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchHubTest {
    @TempDir
    Path dir;
    private HubFixture f;

    private HubFixture fixture(WatchHubConfig config) {
        f = new HubFixture(dir, config);
        return f;
    }

    @AfterEach
    void close() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private static List<String> keys(List<Event> events) {
        return events.stream().map(e -> e.getType() + " " + e.getKv().getKey().toStringUtf8() + "@"
                + e.getKv().getModRevision()).toList();
    }

    @Test
    void aNewWatcherIsAnsweredCreatedThenGetsOnlyLaterEventsOfItsKey() throws Exception {
        HubFixture f = fixture(HubFixture.fastConfig());
        long before = f.put("a", "0");
        RecordingSink sink = RecordingSink.unbounded();
        WatchStreamHandle s = f.hub.open(sink);
        s.create(watch("a").build());
        await("created", () -> !sink.all().isEmpty());
        WatchResponse created = sink.all().get(0);
        assertThat(created.getCreated()).isTrue();
        assertThat(created.getWatchId()).isZero();
        assertThat(created.getHeader().getRevision()).isEqualTo(before);

        long r1 = f.put("a", "1");
        f.put("b", "x");
        long r3 = f.delete("a");
        await("two events", () -> sink.events(0).size() == 2);
        assertThat(keys(sink.events(0))).containsExactly("PUT a@" + r1, "DELETE a@" + r3);
        List<WatchResponse> eventResponses = sink.matching(r -> r.getEventsCount() > 0);
        assertThat(eventResponses.get(0).getHeader().getRevision()).isEqualTo(r1);
        assertThat(eventResponses.get(1).getHeader().getRevision()).isEqualTo(r3);
    }

    @Test
    void withoutWatchersNoRevisionIsHandedOverAndLaterWatchersMissNothing() throws Exception {
        f = new HubFixture(dir, HubFixture.fastConfig(), WatchObserver.NONE, false);
        long r1 = f.put("a", "1");
        long r2 = f.put("a", "2");
        assertThat(f.hub.queuedCommits()).as("revisions handed over while nobody watches").isZero();

        f.hub.start();
        RecordingSink sink = RecordingSink.unbounded();
        WatchStreamHandle s = f.hub.open(sink);
        s.create(watch("a").build());
        await("created", () -> !sink.all().isEmpty());
        assertThat(sink.all().get(0).getHeader().getRevision()).isEqualTo(r2);
        long r3 = f.put("a", "3");
        s.create(watch("a").setStartRevision(r1).setWatchId(5).build());
        await("history", () -> sink.events(5).size() == 3);
        await("live", () -> sink.events(0).size() == 1);
        assertThat(keys(sink.events(0))).as("a watcher from now").containsExactly("PUT a@" + r3);
        assertThat(keys(sink.events(5))).as("a watcher from the first unwatched revision")
                .containsExactly("PUT a@" + r1, "PUT a@" + r2, "PUT a@" + r3);
    }

    @Test
    void aPastStartRevisionReplaysHistoryWithPrevKvThenFollowsLiveWrites() throws Exception {
        HubFixture f = fixture(HubFixture.fastConfig());
        long r1 = f.put("k/1", "v1");
        long r2 = f.put("k/1", "v2");
        f.put("other", "x");
        long r4 = f.delete("k/1");
        RecordingSink sink = RecordingSink.unbounded();
        WatchStreamHandle s = f.hub.open(sink);
        s.create(watch("k/").setRangeEnd(ByteString.copyFromUtf8("k0")).setStartRevision(r1).setPrevKv(true)
                .setWatchId(7).build());
        await("history", () -> sink.events(7).size() == 3);
        long r5 = f.put("k/2", "new");
        await("live", () -> sink.events(7).size() == 4);
        List<Event> evs = sink.events(7);
        assertThat(keys(evs)).containsExactly("PUT k/1@" + r1, "PUT k/1@" + r2, "DELETE k/1@" + r4, "PUT k/2@" + r5);
        assertThat(evs.get(0).hasPrevKv()).as("a create has no previous value").isFalse();
        assertThat(evs.get(1).getPrevKv().getValue().toStringUtf8()).isEqualTo("v1");
        assertThat(evs.get(2).getPrevKv().getValue().toStringUtf8()).isEqualTo("v2");
        assertThat(evs.get(1).getKv().getVersion()).isEqualTo(2);
    }

    @Test
    void aStartRevisionBelowTheCompactionCancelsTheWatcherWithTheCompactRevision() throws Exception {
        HubFixture f = fixture(HubFixture.fastConfig());
        long r1 = f.put("a", "1");
        f.put("a", "2");
        long r3 = f.put("a", "3");
        f.compact(r3);
        RecordingSink sink = RecordingSink.unbounded();
        WatchStreamHandle s = f.hub.open(sink);
        s.create(watch("a").setStartRevision(r1).build());
        await("compacted", () -> sink.all().stream().anyMatch(r -> r.getCompactRevision() != 0));
        WatchResponse c = sink.matching(r -> r.getCompactRevision() != 0).get(0);
        assertThat(c.getCanceled()).isTrue();
        assertThat(c.getCompactRevision()).isEqualTo(r3);
        assertThat(sink.all().get(0).getCreated()).isTrue();
        // Starting exactly at the compaction point is still allowed.
        s.create(watch("a").setStartRevision(r3).setWatchId(5).build());
        await("event at compact revision", () -> sink.events(5).size() == 1);
    }

    @Test
    void aTakenWatchIdAndAnEmptyRangeAreRefusedWithEtcdsReasons() throws Exception {
        HubFixture f = fixture(HubFixture.fastConfig());
        RecordingSink sink = RecordingSink.unbounded();
        WatchStreamHandle s = f.hub.open(sink);
        s.create(watch("a").setWatchId(3).build());
        s.create(watch("b").setWatchId(3).build());
        s.create(watch("z").setRangeEnd(ByteString.copyFromUtf8("a")).build());
        s.create(watch("c").build());
        await("four answers", () -> sink.all().size() == 4);
        List<WatchResponse> all = sink.all();
        assertThat(all.get(0).getWatchId()).isEqualTo(3);
        assertThat(all.get(1).getCreated()).isTrue();
        assertThat(all.get(1).getCanceled()).isTrue();
        assertThat(all.get(1).getWatchId()).isEqualTo(-1);
        assertThat(all.get(1).getCancelReason()).isEqualTo("mvcc: duplicate watch ID provided on the WatchStream");
        assertThat(all.get(2).getCancelReason()).isEqualTo("mvcc: watcher range is empty");
        assertThat(all.get(3).getWatchId()).as("automatic ids start at 0").isZero();
    }

    @Test
    void filtersDropPutsOrDeletes() throws Exception {
        HubFixture f = fixture(HubFixture.fastConfig());
        RecordingSink sink = RecordingSink.unbounded();
        WatchStreamHandle s = f.hub.open(sink);
        s.create(watch("a").setWatchId(1).addFilters(WatchCreateRequest.FilterType.NOPUT).build());
        s.create(watch("a").setWatchId(2).addFilters(WatchCreateRequest.FilterType.NODELETE).build());
        await("created", () -> sink.all().size() == 2);
        f.put("a", "1");
        f.delete("a");
        f.put("a", "2");
        await("events", () -> sink.events(1).size() == 1 && sink.events(2).size() == 2);
        assertThat(sink.events(1).get(0).getType()).isEqualTo(Event.EventType.DELETE);
        assertThat(sink.events(2)).allMatch(e -> e.getType() == Event.EventType.PUT);
    }

    @Test
    void cancelAnswersCanceledAndStopsEvents() throws Exception {
        HubFixture f = fixture(HubFixture.fastConfig());
        RecordingSink sink = RecordingSink.unbounded();
        WatchStreamHandle s = f.hub.open(sink);
        s.create(watch("a").build());
        // Created without a start revision, a watcher starts after the store's revision when the
        // hub handles the create: wait for that before writing, or the put may precede it.
        await("watcher created", () -> sink.all().stream().anyMatch(r -> r.getCreated() && r.getWatchId() == 0));
        f.put("a", "1");
        await("event", () -> sink.events(0).size() == 1);
        s.cancel(0);
        s.cancel(99); // unknown: etcd says nothing
        await("canceled", () -> sink.all().stream().anyMatch(WatchResponse::getCanceled));
        f.put("a", "2");
        s.create(watch("b").setWatchId(1).build());
        // A watcher starts after the store's revision when created: wait for it before writing.
        await("other watcher created", () -> sink.all().stream().anyMatch(r -> r.getCreated() && r.getWatchId() == 1));
        f.put("b", "1");
        await("other watcher's event", () -> sink.events(1).size() == 1);
        assertThat(sink.events(0)).hasSize(1);
        assertThat(sink.matching(WatchResponse::getCanceled)).hasSize(1);
    }

    @Test
    void aSlowStreamCatchesUpFromTheStoreWithoutLossWhileAFastOneIsUnaffected() throws Exception {
        HubFixture f = fixture(HubFixture.fastConfig());
        RecordingSink slow = new RecordingSink(2);
        RecordingSink fast = RecordingSink.unbounded();
        f.hub.open(slow).create(watch("k").setRangeEnd(ByteString.copyFromUtf8("l")).build());
        f.hub.open(fast).create(watch("k").setRangeEnd(ByteString.copyFromUtf8("l")).build());
        await("created", () -> slow.all().size() == 1 && fast.all().size() == 1);
        List<Long> revs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            revs.add(f.put("k" + (i % 7), "v" + i));
        }
        await("fast gets all", () -> fast.events(0).size() == 300);
        assertThat(slow.refused).isPositive();
        slow.release();
        await("slow catches up", () -> slow.events(0).size() == 300);
        assertThat(slow.events(0).stream().map(e -> e.getKv().getModRevision()).toList()).isEqualTo(revs);
        long next = f.put("k1", "after");
        await("slow is live again", () -> slow.events(0).size() == 301);
        assertThat(slow.events(0).get(300).getKv().getModRevision()).isEqualTo(next);
    }

    @Test
    void aStreamIsOfferedAPutForAllItsWatchersAtOnceAndThoseItHasNoRoomForCatchUpInOrder() throws Exception {
        RecordingSink sink = new RecordingSink(25); // room for the first put's 10 watchers, and half the next's
        sink.bulk = true;
        partlyTakenPutsCatchUpInOrder(sink);
        assertThat(sink.bulkOffers).as("one offer carried several watchers' batches").isPositive();
    }

    @Test
    void aStreamTakingAPutsFanOutForPartOfItsWatchersSendsTheRestToCatchUpInOrder() throws Exception {
        RecordingSink sink = new RecordingSink(25);
        sink.fanOuts = true;
        partlyTakenPutsCatchUpInOrder(sink);
        assertThat(sink.fanOutOffers).as("puts were offered as fan-outs").isPositive();
        assertThat(sink.largestFanOut).as("one fan-out carried all the stream's watchers").isEqualTo(10);
    }

    private void partlyTakenPutsCatchUpInOrder(RecordingSink sink) throws Exception {
        HubFixture f = fixture(HubFixture.fastConfig());
        WatchStreamHandle h = f.hub.open(sink);
        int watchers = 10;
        for (int i = 0; i < watchers; i++) {
            h.create(watch("k").setPrevKv(i % 2 == 0).build());
        }
        await("created", () -> sink.matching(WatchResponse::getCreated).size() == watchers);
        List<Long> revs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            revs.add(f.put("k", "v" + i));
        }
        await("the stream's room is used up", () -> sink.refused > 0);
        sink.release();
        for (long id = 0; id < watchers; id++) {
            long w = id;
            await("watcher " + w + " catches up", () -> sink.events(w).size() == revs.size());
            List<Event> events = sink.events(w);
            assertThat(events.stream().map(e -> e.getKv().getModRevision()).toList()).as("watcher %d", w).isEqualTo(revs);
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).getKv().getValue().toStringUtf8()).isEqualTo("v" + i);
                assertThat(events.get(i).hasPrevKv()).as("watcher %d event %d", w, i).isEqualTo(w % 2 == 0 && i > 0);
            }
        }
        long next = f.put("k", "live");
        await("every watcher is live again", () -> sink.events(watchers - 1).size() == revs.size() + 1);
        for (long id = 0; id < watchers; id++) {
            assertThat(sink.events(id)).hasSize(revs.size() + 1);
            assertThat(sink.events(id).get(revs.size()).getKv().getModRevision()).isEqualTo(next);
        }
    }

    @Test
    void aPutReachesAStreamsWatchersAsOneFanOutGivingEachTheResponseItWouldGetAlone() throws Exception {
        HubFixture f = fixture(HubFixture.fastConfig());
        RecordingSink fan = RecordingSink.unbounded();
        fan.fanOuts = true;
        RecordingSink plain = RecordingSink.unbounded(); // WatchSink's default: one response per watcher
        WatchStreamHandle a = f.hub.open(fan);
        WatchStreamHandle b = f.hub.open(plain);
        int watchers = 12;
        for (int i = 0; i < watchers; i++) {
            // Ids out of order and far apart, prev_kv for some, and one watcher of another key.
            long id = i == 0 ? 0 : (i * 7919L) % 1000 + (i == 5 ? 1L << 40 : 0);
            a.create(watch("k").setWatchId(id).setPrevKv(i % 3 == 0).build());
            b.create(watch("k").setWatchId(id).setPrevKv(i % 3 == 0).build());
        }
        a.create(watch("other").setWatchId(5000).build());
        await("created", () -> fan.matching(WatchResponse::getCreated).size() == watchers + 1
                && plain.matching(WatchResponse::getCreated).size() == watchers);
        List<Long> revs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            revs.add(f.put("k", "v" + i));
        }
        await("delivered", () -> fan.matching(r -> r.getEventsCount() > 0).size() == watchers * revs.size()
                && plain.matching(r -> r.getEventsCount() > 0).size() == watchers * revs.size());
        assertThat(fan.fanOutOffers).as("one fan-out per put").isEqualTo(revs.size());
        assertThat(fan.largestFanOut).isEqualTo(watchers);
        List<WatchResponse> viaFanOut = fan.matching(r -> r.getEventsCount() > 0);
        assertThat(viaFanOut).as("the same responses, in the same order, as built one by one")
                .isEqualTo(plain.matching(r -> r.getEventsCount() > 0));
        // What etcd sends each watcher of a put: its own response, header at the put's revision,
        // its id, the one event, prev_kv only if it asked (and there was a previous value).
        List<Long> ids = fan.matching(WatchResponse::getCreated).stream().map(WatchResponse::getWatchId)
                .filter(id -> id != 5000).toList();
        for (int p = 0; p < revs.size(); p++) {
            for (int w = 0; w < watchers; w++) {
                WatchResponse r = viaFanOut.get(p * watchers + w);
                assertThat(r.getWatchId()).as("put %d watcher %d", p, w).isEqualTo(ids.get(w));
                assertThat(r.getHeader()).isEqualTo(io.keel.api.etcdserverpb.ResponseHeader.newBuilder()
                        .setRevision(revs.get(p)).setRaftTerm(1).build());
                assertThat(r.getEventsCount()).isEqualTo(1);
                assertThat(r.getFragment() || r.getCreated() || r.getCanceled()).isFalse();
                Event e = r.getEvents(0);
                assertThat(e.getType()).isEqualTo(Event.EventType.PUT);
                assertThat(e.getKv().getValue().toStringUtf8()).isEqualTo("v" + p);
                assertThat(e.getKv().getModRevision()).isEqualTo(revs.get(p));
                assertThat(e.hasPrevKv()).as("put %d watcher %d prev_kv", p, w).isEqualTo(w % 3 == 0 && p > 0);
                if (e.hasPrevKv()) {
                    assertThat(e.getPrevKv().getValue().toStringUtf8()).isEqualTo("v" + (p - 1));
                }
            }
        }
    }

    @Test
    void progressRequestsAndPeriodicNotificationsCarryTheSyncedRevision() throws Exception {
        HubFixture f = fixture(HubFixture.fastConfig().withProgressNotifyIntervalMillis(100));
        RecordingSink sink = RecordingSink.unbounded();
        WatchStreamHandle s = f.hub.open(sink);
        s.create(watch("a").setProgressNotify(true).build());
        long rev = f.put("b", "1");
        await("delivered", () -> f.hub.deliveredRevision() == rev);
        s.requestProgress();
        await("progress", () -> sink.all().stream().anyMatch(r -> r.getWatchId() == -1));
        assertThat(sink.matching(r -> r.getWatchId() == -1).get(0).getHeader().getRevision()).isEqualTo(rev);
        await("periodic notification", () -> sink.all().stream()
                .anyMatch(r -> r.getWatchId() == 0 && !r.getCreated() && r.getEventsCount() == 0));
        WatchResponse tick = sink.matching(r -> r.getWatchId() == 0 && !r.getCreated()).get(0);
        assertThat(tick.getHeader().getRevision()).isEqualTo(rev);
    }

    @Test
    void aLargeRevisionIsFragmentedOnlyForWatchersThatAskedForIt() throws Exception {
        HubFixture f = fixture(new WatchHubConfig(60_000, 5, 1000, 10_000, 512, 4096, 10_000, 1000));
        RecordingSink sink = RecordingSink.unbounded();
        WatchStreamHandle s = f.hub.open(sink);
        s.create(watch("k").setRangeEnd(ByteString.copyFromUtf8("l")).setFragment(true).setWatchId(1).build());
        s.create(watch("k").setRangeEnd(ByteString.copyFromUtf8("l")).setWatchId(2).build());
        await("created", () -> sink.all().size() == 2);
        try (var w = f.store.beginWrite()) {
            List<io.keel.storage.mvcc.RequestOp> ops = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ops.add(io.keel.storage.mvcc.PutRequest.of(HubFixture.bytes("k" + i), new byte[100]));
            }
            w.txn(new io.keel.storage.mvcc.TxnRequest(List.of(), ops, List.of()));
            var changes = w.changes();
            f.hub.committed(w.commit(), changes);
        }
        await("events", () -> sink.events(1).size() == 20 && sink.events(2).size() == 20);
        List<WatchResponse> frags = sink.matching(r -> r.getWatchId() == 1 && r.getEventsCount() > 0);
        assertThat(frags.size()).isGreaterThan(1);
        assertThat(frags.subList(0, frags.size() - 1)).allMatch(WatchResponse::getFragment);
        assertThat(frags.get(frags.size() - 1).getFragment()).isFalse();
        assertThat(sink.matching(r -> r.getWatchId() == 2 && r.getEventsCount() > 0)).hasSize(1);
    }

    @Test
    void revisionsTheHubWasNotToldAboutAreReadFromTheStore() throws Exception {
        HubFixture f = fixture(HubFixture.fastConfig());
        RecordingSink sink = RecordingSink.unbounded();
        f.hub.open(sink).create(watch("a").build());
        await("created", () -> sink.all().size() == 1);
        long r1 = f.putSilently("a", "1");
        long r2 = f.put("a", "2");
        await("both", () -> sink.events(0).size() == 2);
        assertThat(sink.events(0).stream().map(e -> e.getKv().getModRevision()).toList()).containsExactly(r1, r2);
    }

    @Test
    void thousandsOfWatchersOnOneHubEachGetTheirEvents() throws Exception {
        HubFixture f = fixture(HubFixture.fastConfig());
        int n = 3000;
        List<RecordingSink> sinks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RecordingSink sink = RecordingSink.unbounded();
            sinks.add(sink);
            WatchStreamHandle s = f.hub.open(sink);
            s.create(i % 2 == 0 ? watch("key" + i).build()
                    : watch("key").setRangeEnd(ByteString.copyFromUtf8("kez")).build());
        }
        await("created", () -> sinks.stream().allMatch(sk -> sk.all().size() == 1));
        for (int i = 0; i < n; i += 2) {
            f.put("key" + i, "v");
        }
        await("delivered", () -> sinks.get(n - 1).events(0).size() == n / 2);
        for (int i = 0; i < n; i++) {
            int expected = i % 2 == 0 ? 1 : n / 2;
            int index = i;
            await("watcher " + i, () -> sinks.get(index).events(0).size() == expected);
        }
    }
}
