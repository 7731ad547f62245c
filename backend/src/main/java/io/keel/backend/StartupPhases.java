package io.keel.backend;

import io.keel.server.membership.MemberIds;
import io.keel.server.raftnode.NodeState;
import java.lang.management.ManagementFactory;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs how long each phase of a member's start took, in wall time and in the process's CPU time,
 * as etcd's start logs carry a "took" per phase ("opened backend db", ...). A restart's time is
 * otherwise only visible end to end, and on a shared machine wall time alone says little: the
 * CPU column shows which phase costs work and which one waits (peers, the election).
 *
 * <p>Owner: {@link KeelMain} and {@link KeelMember}, one per started member. Thread-safety: the
 * phases are marked on the starting thread; {@link #firstLeader()}'s listener runs on the Raft
 * thread and only logs once, guarded by a volatile flag.
 */
final class StartupPhases {
    private static final Logger LOG = LoggerFactory.getLogger(StartupPhases.class);

    private volatile long lastWallNanos = System.nanoTime();
    private long lastCpuNanos = processCpuNanos();
    private volatile boolean leaderLogged;

    /** Logs the time from the JVM's start to now (class loading, static initialisers, flag parsing). */
    void jvmStarted() {
        long uptimeMillis = ManagementFactory.getRuntimeMXBean().getUptime();
        LOG.atInfo().addKeyValue("phase", "jvm start to main")
                .addKeyValue("took", uptimeMillis + "ms")
                .addKeyValue("cpu", lastCpuNanos / 1_000_000 + "ms")
                .addKeyValue("since-jvm-start", uptimeMillis + "ms")
                .log("start phase done");
    }

    /** Logs the phase that ended now: its wall time, the process's CPU time in it, and the time since the JVM started. */
    void done(String phase) {
        long wall = System.nanoTime();
        long cpu = processCpuNanos();
        LOG.atInfo().addKeyValue("phase", phase)
                .addKeyValue("took", (wall - lastWallNanos) / 1_000_000 + "ms")
                .addKeyValue("cpu", (cpu - lastCpuNanos) / 1_000_000 + "ms")
                .addKeyValue("since-jvm-start", ManagementFactory.getRuntimeMXBean().getUptime() + "ms")
                .log("start phase done");
        lastWallNanos = wall;
        lastCpuNanos = cpu;
    }

    /** A node state listener that logs, once, when this member first knows a leader (etcd's "elected leader"). */
    Consumer<NodeState> firstLeader() {
        return state -> {
            if (state.leaderId() == 0 && !leaderLogged) {
                // Until a leader is known, each role and term change shows how the election went.
                LOG.atInfo().addKeyValue("term", state.term())
                        .addKeyValue("role", state.role().name().toLowerCase())
                        .addKeyValue("since-jvm-start", ManagementFactory.getRuntimeMXBean().getUptime() + "ms")
                        .log("no leader yet");
            }
            if (state.leaderId() != 0 && !leaderLogged) {
                leaderLogged = true;
                LOG.atInfo().addKeyValue("leader", MemberIds.toHex(state.leaderId()))
                        .addKeyValue("term", state.term())
                        .addKeyValue("role", state.role().name().toLowerCase())
                        .addKeyValue("since-jvm-start", ManagementFactory.getRuntimeMXBean().getUptime() + "ms")
                        .log("first leader known");
            }
        };
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return Math.max(0, sun.getProcessCpuTime());
        }
        return 0;
    }
}
