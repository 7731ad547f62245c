package io.keel.server.watch;

import io.keel.api.etcdserverpb.WatchCreateRequest;

/**
 * The client-facing side of one watch stream in the hub: each call queues a command that the
 * dispatcher runs in order, so the stream's responses (created, events, canceled, progress) come
 * out in the order of its requests. Thread-safe; every method returns false when the hub's
 * command queue is full (the caller answers etcd's "too many requests").
 */
public final class WatchStreamHandle {
    private final WatchHub hub;
    private final HubStream stream;
    private final WatchDispatcher dispatcher;

    WatchStreamHandle(WatchHub hub, HubStream stream, WatchDispatcher dispatcher) {
        this.hub = hub;
        this.stream = stream;
        this.dispatcher = dispatcher;
    }

    public boolean create(WatchCreateRequest request) {
        return hub.post(() -> dispatcher.create(stream, request));
    }

    public boolean cancel(long watchId) {
        return hub.post(() -> dispatcher.cancel(stream, watchId));
    }

    public boolean requestProgress() {
        return hub.post(() -> dispatcher.requestProgress(stream));
    }

    /** The stream wrote {@code events} events (queued by the hub) to its client. Any thread. */
    public void eventsSent(int events) {
        hub.observer().eventsSent(events);
    }

    /** The stream dropped {@code events} queued events unsent (it closed). Any thread. */
    public void eventsDropped(int events) {
        hub.observer().eventsDropped(events);
    }

    /** Drops every watcher of the stream; never refused. */
    public void close() {
        hub.closeStream(stream);
    }
}
