package io.keel.server.watch;

import io.keel.api.etcdserverpb.ResponseHeader;
import io.keel.storage.mvcc.Event;
import io.keel.storage.mvcc.MvccStore;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * A member's watch hub, in the style of etcd's watchable store. The apply thread hands each
 * committed revision's changes over with {@link #committed} (never blocking: past a bound the hub
 * reads the store instead); streams post create/cancel/progress commands through their
 * {@link WatchStreamHandle}. One dispatcher thread, owned by the hub, does everything else: it
 * delivers to synced watchers, catches up unsynced ones from the store, and sends progress
 * notifications. A slow stream only makes its own watchers catch up later from the store; it
 * never blocks the apply thread, writers or other streams.
 *
 * <p>Owned by the member. Thread-safe: {@link #committed} from the apply thread, everything else
 * from any thread.
 */
public final class WatchHub implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WatchHub.class.getName());
    private final MvccStore store;
    private final WatchHubConfig config;
    private final LongSupplier nanoClock;
    private final WatchDispatcher dispatcher;
    private final CatchUp catchUp;
    private final BlockingQueue<Commit> commits;
    private final BlockingQueue<Runnable> commands;
    /** Closing streams, apart from the bounded commands so a close is never refused. */
    private final Queue<HubStream> closing = new ConcurrentLinkedQueue<>();
    private final SplittableRandom jitter;
    private final Thread thread;
    /** Set when the apply thread could not hand a revision over: the dispatcher reads the store. */
    private volatile boolean overflowed;
    private volatile boolean wakeup;
    private volatile boolean closed;
    private volatile long deliveredRevision;

    private record Commit(long revision, List<Event> changes) {
    }

    /**
     * @param headers   etcd's response header for a revision (cluster, member, raft term)
     * @param nanoClock monotonic clock for the sync and progress periods
     */
    public WatchHub(MvccStore store, LongFunction<ResponseHeader> headers, WatchHubConfig config,
                    LongSupplier nanoClock, long seed) {
        this.store = store;
        this.config = config.validate();
        this.nanoClock = nanoClock;
        this.dispatcher = new WatchDispatcher(store, new WatchResponses(store, headers, config.maxResponseBytes()),
                config);
        this.catchUp = new CatchUp(dispatcher);
        this.commits = new ArrayBlockingQueue<>(config.commitQueueBatches());
        this.commands = new ArrayBlockingQueue<>(config.commandQueueCapacity());
        this.jitter = new SplittableRandom(seed);
        this.deliveredRevision = dispatcher.hubRev;
        this.thread = new Thread(this::run, "keel-watch");
        this.thread.setDaemon(true);
    }

    /**
     * Reports stream, watcher and event counts to {@code observer} (etcd's watch metrics); call
     * before {@link #start}. Without it nothing is reported.
     */
    public WatchHub setObserver(WatchObserver observer) {
        dispatcher.observer = java.util.Objects.requireNonNull(observer, "observer");
        return this;
    }

    /** Where the gRPC streams report the events they wrote or dropped. */
    WatchObserver observer() {
        return dispatcher.observer;
    }

    /** Revisions handed over and not yet taken by the dispatcher. */
    int queuedCommits() {
        return commits.size();
    }

    public WatchHub start() {
        thread.start();
        return this;
    }

    /**
     * The changes committed at {@code revision} (apply thread, after the commit). Never blocks:
     * when the hand-off is full the hub later reads those revisions from the store. While the
     * member has no watcher it does nothing at all: no hand-off, no wake-up of the dispatcher
     * (a member without watchers was otherwise woken once per write).
     */
    public void committed(long revision, List<Event> changes) {
        if (changes.isEmpty() || !dispatcher.anyWatchers) {
            return;
        }
        if (!commits.offer(new Commit(revision, changes))) {
            overflowed = true;
        }
        signal();
    }

    /** Opens the hub's side of one watch stream whose responses go to {@code sink}. */
    public WatchStreamHandle open(WatchSink sink) {
        HubStream s = new HubStream(sink);
        if (!post(() -> dispatcher.open(s))) {
            return null;
        }
        return new WatchStreamHandle(this, s, dispatcher);
    }

    /** The highest revision handed to synced watchers (while there is none, as of the last wake-up). */
    public long deliveredRevision() {
        return deliveredRevision;
    }

    /** Queues a command for the dispatcher; false when the queue is full (etcd's "too many requests"). */
    boolean post(Runnable command) {
        if (closed || !commands.offer(command)) {
            return false;
        }
        signal();
        return true;
    }

    /** Drops every watcher of {@code s}; never refused. */
    void closeStream(HubStream s) {
        closing.add(s);
        signal();
    }

    private void signal() {
        wakeup = true;
        LockSupport.unpark(thread);
    }

    private long nextSync;
    private long nextProgress;
    private boolean catchUpAgain;

    private void run() {
        long now = nanoClock.getAsLong();
        nextSync = now + TimeUnit.MILLISECONDS.toNanos(config.syncIntervalMillis());
        nextProgress = now + progressPeriodNanos();
        while (!closed) {
            wakeup = false;
            boolean worked;
            try {
                worked = iterate();
            } catch (RuntimeException e) {
                // A bug must not silently stop every watcher of the member: report it and go on.
                LOG.log(System.Logger.Level.ERROR, "watch dispatcher failed", e);
                worked = false;
            }
            deliveredRevision = dispatcher.hubRev;
            dispatcher.publishCounts();
            if (!worked && !wakeup) {
                now = nanoClock.getAsLong();
                long wait = Math.min(nextSync - now, nextProgress - now);
                LockSupport.parkNanos(this, Math.max(1, wait));
            }
        }
    }

    /** One round of the dispatcher; true if it did something (then it runs again at once). */
    private boolean iterate() {
        dispatcher.skipUnwatched(); // before any create, so a new watcher starts from now
        boolean worked = runCommands() | drainCommits();
        dispatcher.skipUnwatched(); // the last watcher may have gone
        long now = nanoClock.getAsLong();
        if (catchUpAgain || now - nextSync >= 0) {
            nextSync = now + TimeUnit.MILLISECONDS.toNanos(config.syncIntervalMillis());
            catchUpAgain = false;
            if (store.revision() > dispatcher.hubRev && commits.isEmpty()) {
                // A revision was committed without its changes being handed over: read the store.
                dispatcher.readFromStore(store.revision());
            }
            catchUpAgain = catchUp.pass();
            worked |= catchUpAgain;
        }
        if (now - nextProgress >= 0) {
            nextProgress = now + progressPeriodNanos();
            dispatcher.progressTick();
        }
        dispatcher.retryDeferredProgress();
        return worked;
    }

    private boolean runCommands() {
        boolean any = false;
        HubStream s;
        while ((s = closing.poll()) != null) {
            dispatcher.close(s);
            any = true;
        }
        Runnable c;
        while ((c = commands.poll()) != null) {
            c.run();
            any = true;
        }
        return any;
    }

    private boolean drainCommits() {
        boolean any = false;
        Commit c;
        while ((c = commits.poll()) != null) {
            dispatcher.deliver(c.changes());
            any = true;
        }
        if (overflowed) {
            overflowed = false;
            dispatcher.readFromStore(store.revision());
            any = true;
        }
        return any;
    }

    /** etcd adds up to a tenth of jitter so that watchers created together do not tick together. */
    private long progressPeriodNanos() {
        long base = TimeUnit.MILLISECONDS.toNanos(config.progressNotifyIntervalMillis());
        return base + jitter.nextLong(Math.max(1, base / 10));
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        LockSupport.unpark(thread);
        if (thread.isAlive()) {
            thread.join(10_000);
        }
    }
}
