package io.keel.backend.e2e;

import static io.keel.backend.e2e.CheckedWatcher.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch checker: jetcd watchers (from old revisions, from now, prefix, range, single key,
 * prev_kv, progress) on a real 3-member cluster under concurrent writes, a compaction and a kill -9
 * of the leader; every stream is then checked by {@link WatchStreamChecker}. A failure prints the
 * seed; rerun it with {@code -Dkeel.watch.seed=N}.
 */
class WatchCheckerTest {
    private static final int KEYS = 8;

    @TempDir
    Path dir;
    private final List<KeelProcess> members = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<WatchRecord.Write> writes = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        for (KeelProcess m : members) {
            m.close();
        }
    }

    private Client client(String endpoints) {
        Client c = Client.builder().endpoints(endpoints.split(",")).build();
        closeables.add(c);
        return c;
    }

    private String rotated(int by) {
        List<String> urls = new ArrayList<>(members.stream().map(KeelProcess::clientUrl).toList());
        java.util.Collections.rotate(urls, by);
        return String.join(",", urls);
    }

    @Test
    void everyWatcherSeesAnOrderedUniqueAtomicReliableResumableBookmarkableStream() throws Exception {
        long seed = Long.getLong("keel.watch.seed", new SplittableRandom().nextLong());
        System.out.println("watch checker seed: " + seed);
        try {
            run(seed);
        } catch (Throwable t) {
            throw new AssertionError("watch checker failed with seed " + seed + ": " + t.getMessage(), t);
        }
    }

    private void run(long seed) throws Exception {
        for (String name : List.of("c1", "c2", "c3")) {
            members.add(new KeelProcess(name, dir.resolve(name), FreePorts.next(), FreePorts.next()));
        }
        String initial = Members.initialCluster(members);
        for (KeelProcess m : members) {
            m.start(initial, "new", "--experimental-watch-progress-notify-interval=1s");
        }
        Members.awaitWritable(Members.endpoints(members));
        Client writerClient = client(rotated(0));
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 30; i++) {
            write(writerClient, random, "pre", i);
        }
        long mid = writes.get(15).rev();

        List<CheckedWatcher> watchers = new ArrayList<>();
        CheckedWatcher truth = watcher(watchers, client(rotated(0)), "truth(prefix from 1)", "w/", "w0", 1, false, true);
        watcher(watchers, client(rotated(1)), "prefix-now-prevkv", "w/", "w0", 0, true, false);
        watcher(watchers, client(rotated(2)), "key-w/0-from-1", "w/0", null, 1, true, false);
        watcher(watchers, client(rotated(1)), "range-w/2..w/5-from-mid", "w/2", "w/5", mid, false, true);
        Client progressClient = client(rotated(2));
        watcher(watchers, progressClient, "prefix-now-progress", "w/", "w0", 0, false, true);

        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int id = t;
            Client c = client(rotated(t));
            SplittableRandom r = random.split();
            Thread th = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    write(c, r, "t" + id, i);
                }
            }, "watch-checker-writer-" + t);
            th.start();
            writers.add(th);
        }
        awaitAckedWrites(150);
        long compactAt = lastAcked();
        awaitCovered(watchers, compactAt);
        writerClient.getKVClient().compact(compactAt).get(30, TimeUnit.SECONDS);
        List<Throwable> compactedErrors = new CopyOnWriteArrayList<>();
        closeables.add(client(rotated(0)).getWatchClient().watch(bytes("w/"),
                io.etcd.jetcd.options.WatchOption.builder().isPrefix(true).withRevision(2).build(),
                io.etcd.jetcd.Watch.listener(resp -> { }, compactedErrors::add)));

        awaitAckedWrites(250);
        KeelProcess leader = leader();
        leader.kill9();
        awaitAckedWrites(400);
        stop.set(true);
        for (Thread th : writers) {
            th.join(TimeUnit.MINUTES.toMillis(2));
        }
        long end = lastAcked();
        awaitCovered(watchers, end);

        await("the watch from a compacted revision fails", () -> !compactedErrors.isEmpty());
        assertThat(compactedErrors.get(0)).isInstanceOf(CompactedException.class);
        assertThat(((CompactedException) compactedErrors.get(0)).getCompactedRevision()).isEqualTo(compactAt);

        WatchStreamChecker checker = new WatchStreamChecker();
        checker.establishTruth(truth, writes);
        for (CheckedWatcher w : watchers) {
            checker.check(w);
            for (Throwable e : w.errors) {
                // jetcd reports the loss of its member's connection, then resubscribes elsewhere.
                if (!(e instanceof io.etcd.jetcd.common.exception.EtcdException ee)
                        || ee.getErrorCode() != io.etcd.jetcd.common.exception.ErrorCode.UNAVAILABLE) {
                    checker.violations.add(w.name + ": watch failed: " + e);
                }
            }
        }
        long progressNotes = watchers.stream().flatMap(w -> w.log.stream()).filter(WatchRecord.Resp::progress).count();
        assertThat(progressNotes).as("progress notifications were checked").isPositive();
        long resubscriptions = watchers.stream().mapToLong(w -> w.log.stream().filter(WatchRecord.Resp::created)
                .count() - 1).sum();
        System.out.println("watch checker: " + writes.stream().filter(WatchRecord.Write::acked).count()
                + " acknowledged writes, " + progressNotes + " progress notifications, " + resubscriptions
                + " resubscriptions after the leader kill");
        assertThat(checker.violations).as("violations (seed " + seed + ")").isEmpty();
    }

    private CheckedWatcher watcher(List<CheckedWatcher> into, Client c, String name, String key, String end,
                                   long rev, boolean prevKv, boolean progress) {
        CheckedWatcher w = new CheckedWatcher(c, name, key, end, rev, prevKv, progress);
        closeables.add(w);
        into.add(w);
        return w;
    }

    /** One seeded write: a put, a delete, or a two-key txn; recorded acknowledged or not. */
    private void write(Client c, SplittableRandom r, String writer, int i) {
        String key = "w/" + r.nextInt(KEYS);
        String value = writer + "-" + i;
        int kind = r.nextInt(100);
        try {
            if (kind < 70) {
                writes.add(new WatchRecord.Write(key, value, false, 0));
                long rev = c.getKVClient().put(bytes(key), bytes(value)).get(20, TimeUnit.SECONDS)
                        .getHeader().getRevision();
                writes.add(new WatchRecord.Write(key, value, true, rev));
            } else if (kind < 85) {
                writes.add(new WatchRecord.Write(key, null, false, 0));
                var resp = c.getKVClient().delete(bytes(key)).get(20, TimeUnit.SECONDS);
                if (resp.getDeleted() > 0) {
                    writes.add(new WatchRecord.Write(key, null, true, resp.getHeader().getRevision()));
                }
            } else {
                String other = "w/" + ((Integer.parseInt(key.substring(2)) + 1) % KEYS);
                writes.add(new WatchRecord.Write(key, value + "a", false, 0));
                writes.add(new WatchRecord.Write(other, value + "b", false, 0));
                long rev = c.getKVClient().txn().Then(
                        Op.put(bytes(key), bytes(value + "a"), PutOption.DEFAULT),
                        Op.put(bytes(other), bytes(value + "b"), PutOption.DEFAULT))
                        .commit().get(20, TimeUnit.SECONDS).getHeader().getRevision();
                writes.add(new WatchRecord.Write(key, value + "a", true, rev));
                writes.add(new WatchRecord.Write(other, value + "b", true, rev));
            }
        } catch (Exception e) {
            // Not acknowledged: it may or may not have been applied; the attempt is recorded above.
        }
    }

    private long lastAcked() {
        return writes.stream().filter(WatchRecord.Write::acked).mapToLong(WatchRecord.Write::rev).max().orElse(0);
    }

    private void awaitAckedWrites(long count) throws InterruptedException {
        await(count + " acknowledged writes", () -> writes.stream().filter(WatchRecord.Write::acked).count() >= count);
    }

    /** Asks for progress until every watcher has seen everything up to {@code rev}. */
    private void awaitCovered(List<CheckedWatcher> watchers, long rev) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (watchers.stream().anyMatch(w -> w.covered() < rev)) {
            if (System.nanoTime() > deadline) {
                StringBuilder b = new StringBuilder();
                watchers.forEach(w -> b.append(w.name).append(" covered ").append(w.covered()).append("; "));
                throw new AssertionError("watchers did not reach revision " + rev + ": " + b);
            }
            watchers.forEach(CheckedWatcher::requestProgress);
            Thread.sleep(200);
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private KeelProcess leader() throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            for (KeelProcess m : members) {
                if (!m.alive()) {
                    continue;
                }
                try (Client c = Client.builder().endpoints(m.clientUrl()).build()) {
                    var s = c.getMaintenanceClient().statusMember(m.clientUrl()).get(30, TimeUnit.SECONDS);
                    if (s.getLeader() == s.getHeader().getMemberId()) {
                        return m;
                    }
                }
            }
        }
        throw new AssertionError("no member says it is the leader");
    }
}
