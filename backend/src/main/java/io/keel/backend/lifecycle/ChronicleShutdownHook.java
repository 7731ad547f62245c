package io.keel.backend.lifecycle;

import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import net.openhft.chronicle.core.shutdown.PriorityHook;

/**
 * Chronicle registers a JVM shutdown hook of its own (its background resource releaser). JVM
 * hooks run concurrently, so on SIGTERM it would release Chronicle resources while Keel's own
 * hook is still handing off leadership and syncing the log. Keel removes that hook once the
 * member is open and runs the release itself, last, after the log is closed. Called from the
 * main thread at startup and from Keel's shutdown hook; not for concurrent use.
 */
public final class ChronicleShutdownHook {
    private ChronicleShutdownHook() {
    }

    /** Unregisters Chronicle's hook (its class is loaded by now: the log is open). */
    public static void neutralise() {
        PriorityHook.clear();
    }

    /** What Chronicle's hook would have done; call after every Chronicle resource is closed. */
    public static void releaseNow() {
        BackgroundResourceReleaser.releasePendingResources();
    }
}
