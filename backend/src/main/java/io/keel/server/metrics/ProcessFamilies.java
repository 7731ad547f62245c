package io.keel.server.metrics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code process_*} families as Prometheus' Go client writes them (etcd's dashboard charts
 * {@code process_resident_memory_bytes}), read from {@code /proc/self} at scrape time, plus etcd's
 * {@code os_fd_*}. Micrometer's own process meters use other names and are not bound, so no family
 * appears twice. On a system without {@code /proc} the /proc-based values are absent. Thread-safe.
 */
public final class ProcessFamilies {
    private static final Path PROC = Path.of("/proc/self");
    private static final long PAGE_BYTES = 4096;

    ProcessFamilies(MetricRegistry r) {
        com.sun.management.OperatingSystemMXBean os = osBean();
        r.register(new Gauge("process_cpu_seconds_total", MetricType.COUNTER,
                "Total user and system CPU time spent in seconds.",
                () -> os == null ? 0 : os.getProcessCpuTime() / 1e9));
        if (!Files.isDirectory(PROC)) {
            return;
        }
        r.register(new Gauge("process_open_fds", "Number of open file descriptors.", ProcessFamilies::openFds));
        r.register(new Gauge("process_max_fds", "Maximum number of open file descriptors.", ProcessFamilies::maxFds));
        r.register(new Gauge("process_resident_memory_bytes", "Resident memory size in bytes.",
                () -> statField(23) * PAGE_BYTES));
        r.register(new Gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", () -> statField(22)));
        r.register(new Gauge("process_virtual_memory_max_bytes",
                "Maximum amount of virtual memory available in bytes.", () -> limit("Max address space")));
        double startSeconds = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0;
        r.register(new Gauge("process_start_time_seconds",
                "Start time of the process since unix epoch in seconds.", () -> startSeconds));
        r.register(new Gauge("os_fd_used", "The number of used file descriptors.", ProcessFamilies::openFds));
        r.register(new Gauge("os_fd_limit", "The file descriptor limit.", ProcessFamilies::maxFds));
    }

    private static com.sun.management.OperatingSystemMXBean osBean() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean b
                ? b : null;
    }

    private static double openFds() {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve("fd"))) {
            for (Path ignored : fds) {
                n++;
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return n;
    }

    private static double maxFds() {
        return limit("Max open files");
    }

    /** The soft limit from {@code /proc/self/limits}; +Inf when unlimited. */
    private static double limit(String name) {
        try {
            for (String line : Files.readAllLines(PROC.resolve("limits"))) {
                if (line.startsWith(name)) {
                    String soft = line.substring(name.length()).trim().split("\\s+")[0];
                    return "unlimited".equals(soft) ? Double.POSITIVE_INFINITY : Double.parseDouble(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** Field {@code index} (0-based, counting from pid) of {@code /proc/self/stat}. */
    private static double statField(int index) {
        try {
            String stat = Files.readString(PROC.resolve("stat"));
            // The command name (field 1) may hold spaces; fields after it follow the last ')'.
            List<String> rest = List.of(stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+"));
            return Double.parseDouble(rest.get(index - 2));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
