package io.keel.tracing.log;

/**
 * Spells a duration the way etcd's logs do (Go's {@code time.Duration.String}): {@code 0s},
 * {@code 812ns}, {@code 757.223µs}, {@code 103.632957ms}, {@code 1.5s}, {@code 2m3s}, {@code 1h0m0s}.
 *
 * <p>Owner: this module. Thread-safety: stateless.
 */
public final class EtcdDuration {
    private static final long MICRO = 1_000L;
    private static final long MILLI = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private EtcdDuration() {
    }

    /** Formats {@code nanos} nanoseconds. */
    public static String format(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder(24);
        if (nanos < 0) {
            out.append('-');
            if (nanos == Long.MIN_VALUE) {
                // Its magnitude does not fit a long; Go prints it the same way.
                return "-2562047h47m16.854775808s";
            }
            nanos = -nanos;
        }
        if (nanos < SECOND) {
            if (nanos < MICRO) {
                return out.append(nanos).append("ns").toString();
            }
            if (nanos < MILLI) {
                appendFraction(out, nanos, MICRO, 3);
                return out.append("µs").toString();
            }
            appendFraction(out, nanos, MILLI, 6);
            return out.append("ms").toString();
        }
        long hours = nanos / (3600 * SECOND);
        long rest = nanos % (3600 * SECOND);
        long minutes = rest / (60 * SECOND);
        long secondsNanos = rest % (60 * SECOND);
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        appendFraction(out, secondsNanos, SECOND, 9);
        return out.append('s').toString();
    }

    /** Appends {@code value / unit} with up to {@code digits} fraction digits, trailing zeros cut. */
    private static void appendFraction(StringBuilder out, long value, long unit, int digits) {
        out.append(value / unit);
        long fraction = value % unit;
        if (fraction == 0) {
            return;
        }
        while (fraction % 10 == 0) {
            fraction /= 10;
            digits--;
        }
        String text = Long.toString(fraction);
        out.append('.');
        for (int pad = digits - text.length(); pad > 0; pad--) {
            out.append('0');
        }
        out.append(text);
    }
}
