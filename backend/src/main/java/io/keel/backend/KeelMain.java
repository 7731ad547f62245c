package io.keel.backend;

import io.keel.server.EtcdVersion;
import io.keel.server.ServerBackends;
import io.keel.server.config.Flag;
import io.keel.server.config.FlagException;
import io.keel.server.config.FlagParser;
import io.keel.server.config.ServerConfig;
import io.keel.server.config.ServerConfigParser;
import io.keel.server.membership.InitialMembership;
import io.keel.server.membership.MemberIds;
import io.keel.backend.peer.PeerStatusListener;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Entry point of a Keel member: parses etcd's flags (and their ETCD_* environment variables),
 * starts the server, prints the client URLs,
 * and stops cleanly on SIGTERM/SIGINT. Bad flags: a message on stderr and exit code 2, as etcd.
 * Runs on the main thread; the JVM's shutdown-hook thread does the stop.
 */
public final class KeelMain {
    /** Exit code for an unusable command line, as etcd (Go's flag package) uses. */
    public static final int EXIT_USAGE = 2;
    private static final long STOP_TIMEOUT_SECONDS = 10;

    private KeelMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Parsed parsed = parse(args, System.getenv(), System.out, System.err);
        if (parsed.config() == null) {
            System.exit(parsed.exitCode());
        }
        run(parsed.config());
    }

    /** The outcome of reading the command line: a config to run, or an exit code. */
    record Parsed(ServerConfig config, int exitCode) {
    }

    static Parsed parse(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        try {
            Map<Flag, String> given = FlagParser.parse(args);
            if ("true".equals(given.get(Flag.HELP))) {
                out.println("Usage: keel [flags]\n\nFlags (names and defaults as etcd's):\n" + Flag.usage());
                return new Parsed(null, 0);
            }
            if ("true".equals(given.get(Flag.VERSION))) {
                out.println("keel implementing etcd API " + EtcdVersion.SERVER);
                return new Parsed(null, 0);
            }
            return new Parsed(ServerConfigParser.fromFlags(FlagParser.withEnvironment(given, env)), 0);
        } catch (FlagException e) {
            err.println("keel: " + e.getMessage());
            err.println("Try 'keel --help' for the list of flags.");
            return new Parsed(null, EXIT_USAGE);
        }
    }

    private static void run(ServerConfig config) throws InterruptedException {
        InitialMembership membership = InitialMembership.of(config);
        Vertx vertx = Vertx.vertx();
        // No Raft node yet: peer messages are counted and dropped, which Raft tolerates by design.
        AtomicLong peerMessagesDropped = new AtomicLong();
        KeelServer server = new KeelServer(vertx, config, ServerBackends.unwired(),
                m -> peerMessagesDropped.incrementAndGet(), PeerStatusListener.IGNORE);
        try {
            server.start().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("keel: cannot start: " + e.getMessage());
            vertx.close();
            System.exit(1);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(vertx, server, stopped), "keel-shutdown"));
        System.out.println("keel: member " + MemberIds.toHex(membership.localMemberId()) + " ("
                + config.name() + ") of cluster " + MemberIds.toHex(membership.clusterId()));
        for (URI url : server.boundClientUrls()) {
            System.out.println("keel: serving gRPC and HTTP on " + url);
        }
        for (URI url : server.boundPeerUrls()) {
            System.out.println("keel: listening for peers on " + url);
        }
        System.out.println("keel: the KV path (Raft + MVCC) is not wired yet: KV, Watch, Lease, Cluster,"
                + " Maintenance, Auth, Lock and Election RPCs answer UNIMPLEMENTED; /health reports no leader");
        System.out.flush();
        stopped.await();
    }

    private static void stop(Vertx vertx, KeelServer server, CountDownLatch stopped) {
        try {
            server.stop().eventually(vertx::close).toCompletionStage().toCompletableFuture()
                    .get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            System.out.println("keel: stopped");
        } catch (Exception e) {
            System.err.println("keel: unclean stop: " + e);
        } finally {
            System.out.flush();
            stopped.countDown();
        }
    }
}
