package io.keel.backend.cli;

/**
 * Byte counts as etcdctl prints them (go-humanize's {@code Bytes}: SI units, one decimal below
 * 10, Go's round-half-to-even for the rest). Stateless; thread-safe.
 */
final class HumanBytes {
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};

    private HumanBytes() {
    }

    static String format(long bytes) {
        if (bytes < 10) {
            return bytes + " B";
        }
        int e = (int) Math.floor(Math.log(bytes) / Math.log(1000));
        double val = Math.floor(bytes / Math.pow(1000, e) * 10 + 0.5) / 10;
        if (val < 10) {
            return String.format(java.util.Locale.ROOT, "%.1f %s", val, UNITS[e]);
        }
        return String.format(java.util.Locale.ROOT, "%.0f %s", Math.rint(val), UNITS[e]);
    }
}
