package io.keel.backend;

import io.keel.backend.admin.ConsoleAssets;
import io.keel.backend.lifecycle.ChronicleShutdownHook;
import io.keel.server.EtcdVersion;
import io.keel.server.lifecycle.LeadershipHandOff;
import io.keel.server.config.Flag;
import io.keel.server.config.FlagException;
import io.keel.server.config.FlagParser;
import io.keel.server.config.ObservabilityConfig;
import io.keel.server.config.ServerConfig;
import io.keel.server.config.ServerConfigParser;
import io.keel.server.membership.MemberIds;
import io.keel.server.observe.Observability;
import io.keel.tracing.log.KeelLogging;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(KeelMain.class);

    private KeelMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Parsed parsed = parse(args, System.getenv(), System.out, System.err);
        if (parsed.config() == null) {
            System.exit(parsed.exitCode());
        }
        try {
            KeelLogging.configure(parsed.observability().log());
        } catch (IOException | RuntimeException e) {
            System.err.println("keel: cannot set up logging: " + e.getMessage());
            System.exit(1);
        }
        run(parsed.config(), parsed.observability());
    }

    /** The outcome of reading the command line: a config to run, or an exit code. */
    record Parsed(ServerConfig config, ObservabilityConfig observability, int exitCode) {
        Parsed(ServerConfig config, int exitCode) {
            this(config, null, exitCode);
        }
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
            Map<Flag, String> flags = FlagParser.withEnvironment(given, env);
            ServerConfig config = ServerConfigParser.fromFlags(flags);
            return new Parsed(config, ObservabilityConfig.fromFlags(config, flags), 0);
        } catch (FlagException e) {
            err.println("keel: " + e.getMessage());
            err.println("Try 'keel --help' for the list of flags.");
            return new Parsed(null, EXIT_USAGE);
        }
    }

    private static void run(ServerConfig config, ObservabilityConfig observabilityConfig) throws InterruptedException {
        StartupPhases phases = new StartupPhases();
        phases.jvmStarted();
        StartupLog.starting(config, observabilityConfig);
        // Netty's native epoll transport where it loads (the backend ships it for Linux x86-64), else
        // the JDK's NIO: per put, epoll made about a fifth fewer system calls (docs/BENCHMARKS.md).
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        Observability observability = Observability.fromConfig(observabilityConfig);
        KeelMember member;
        KeelServer server;
        try {
            member = KeelMember.open(vertx, config, observability, KeelMain::fatal, phases);
            if (config.initialCorruptCheck()) {
                member.initialCorruptCheck(); // before serving anything, as etcd
            }
            server = new KeelServer(vertx, config, member.backends(), member.peerTransport()).observe(observability)
                    .withMetrics(member.metrics())
                    .withConsole(member.memberId(), member::compactRevision, observabilityConfig.consoleJaegerUrl());
            server.start().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            phases.done("servers listening");
            member.start();
            phases.done("raft started");
        } catch (Exception e) {
            LOG.atError().addKeyValue("error", rootMessage(e)).log("cannot start");
            System.err.println("keel: cannot start: " + rootMessage(e));
            observability.close();
            vertx.close();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        KeelServer running = server;
        // One hook stopping everything in order; Chronicle's own would race with it.
        ChronicleShutdownHook.neutralise();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(vertx, running, member, observability, stopped),
                "keel-shutdown"));
        StartupLog.serving(config, member, server, vertx.isNativeTransportEnabled() ? "epoll" : "nio");
        // The plain lines on stdout are the command line's readiness contract (scripts and the e2e
        // helper wait for "keel: serving gRPC and HTTP on"); the JSON log has the same facts.
        System.out.println("keel: member " + MemberIds.toHex(member.memberId()) + " (" + config.name()
                + ") of cluster " + MemberIds.toHex(member.clusterId()) + ", data in " + config.dataDir());
        for (URI url : server.boundClientUrls()) {
            System.out.println("keel: serving gRPC and HTTP on " + url);
        }
        for (URI url : server.boundMetricsUrls()) {
            System.out.println("keel: serving metrics on " + url);
        }
        if (ConsoleAssets.available() && !server.boundClientUrls().isEmpty()) {
            System.out.println("keel: admin console at " + server.boundClientUrls().get(0) + "/ui/");
        }
        for (URI url : server.boundPeerUrls()) {
            System.out.println("keel: listening for peers on " + url);
        }
        System.out.flush();
        stopped.await();
    }

    /** A failed fsync or a corrupt log: stop at once, as etcd does, rather than risk divergence. */
    private static void fatal(Throwable cause) {
        LOG.atError().setCause(cause).log("fatal: stopping the member");
        System.err.println("keel: fatal: " + rootMessage(cause));
        System.err.flush();
        Runtime.getRuntime().halt(1);
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    /**
     * The graceful stop, in order: a leader hands leadership over (the cluster gets a new leader
     * at once, not after an election timeout), then the client listeners close, then Raft, the
     * transport and the stores, then Vert.x, then the tracer and Chronicle's own clean-up.
     */
    private static void stop(Vertx vertx, KeelServer server, KeelMember member, Observability observability,
                             CountDownLatch stopped) {
        try {
            LOG.info("received signal; shutting down");
            System.out.println("keel: stopping");
            System.out.flush();
            LeadershipHandOff.Outcome handOff = member.handOffLeadership();
            if (handOff.alone()) {
                // etcd's words for the same case
                System.out.println("keel: skipped leadership transfer for single voting member cluster");
                System.out.flush();
            } else if (handOff.wasLeader()) {
                System.out.println(handOff.handedOff()
                        ? "keel: handed leadership to " + MemberIds.toHex(handOff.transferee())
                        : "keel: could not hand leadership over; stopping anyway");
                System.out.flush();
            }
            server.stop().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            member.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            observability.close();
            ChronicleShutdownHook.releaseNow();
            LOG.info("stopped");
            System.out.println("keel: stopped");
        } catch (Exception e) {
            LOG.atError().setCause(e).log("unclean stop");
            System.err.println("keel: unclean stop: " + e);
        } finally {
            System.out.flush();
            System.err.flush();
            stopped.countDown();
        }
    }
}
