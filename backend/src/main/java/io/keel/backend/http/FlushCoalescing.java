package io.keel.backend.http;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;

/**
 * Coalesces the socket flushes of one HTTP connection (client connections, and both ends of the
 * peer connections). Vert.x's HTTP/2 connection flushes the socket after every frame written
 * outside a read (a watch event, a unary reply completed by a back-end thread, a Raft message the
 * Raft thread queued), so a watch stream fanning one revision out to 100 watchers made 100 write
 * system calls and 100 small TCP segments for the client to read, and a leader sending a few Raft
 * messages to a follower made one write per message frame. With Netty's
 * {@link FlushConsolidationHandler} in front of the socket, flushes asked for while the event loop
 * is running tasks are turned into one flush in a task queued behind them (and at most
 * {@link #MAX_FLUSHES_BEFORE_WRITE} frames wait), which is what grpc-go's writer does for etcd:
 * many frames, one write. Nothing is held back past the current round of the event loop.
 *
 * <p>It reaches into Vert.x's connection (not a public API), as {@link GrpcGoAuthorityFix} does; if
 * that changes the connection keeps flushing per frame. Stateless; called on the connection's
 * event loop.
 */
public final class FlushCoalescing {
    public static final String NAME = "keel-flush-coalescing";
    /** Netty's default: at most this many flushes are merged before one goes to the socket anyway. */
    static final int MAX_FLUSHES_BEFORE_WRITE = FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;

    private FlushCoalescing() {
    }

    /** Installs the coalescing in front of the socket; a no-op for unknown connection internals. */
    public static void install(HttpConnection connection) {
        if (!(connection instanceof io.vertx.core.net.impl.ConnectionBase base)) {
            return;
        }
        ChannelPipeline pipeline = base.channel().pipeline();
        if (pipeline.get(NAME) == null) {
            // First in the pipeline (next to the socket): every flush from any handler passes it.
            pipeline.addFirst(NAME, new FlushConsolidationHandler(MAX_FLUSHES_BEFORE_WRITE, true));
        }
    }
}
